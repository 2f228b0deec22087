package graph

import (
	"context"
	"log/slog"
	"sort"
)

// Level is the verbosity of a log entry.
type Level int

const (
	// LevelTrace carries redacted request and response bodies.
	LevelTrace Level = iota
	// LevelDebug carries method, URL, status, duration and retry decisions.
	LevelDebug
	// LevelWarn carries things the user should know (retries giving up).
	LevelWarn
)

// Logger receives this package's log entries. Every field value has already
// been redacted: no token, client secret or synchronization secret reaches it.
type Logger interface {
	Log(ctx context.Context, level Level, msg string, fields map[string]any)
}

// LoggerFunc adapts a function to Logger.
type LoggerFunc func(ctx context.Context, level Level, msg string, fields map[string]any)

// Log calls f.
func (f LoggerFunc) Log(ctx context.Context, level Level, msg string, fields map[string]any) {
	f(ctx, level, msg, fields)
}

// SlogLogger adapts a *slog.Logger (the exporter's). Trace entries go out at
// SlogLevelTrace (debug-4) so they only show when asked for explicitly.
func SlogLogger(l *slog.Logger) Logger { return slogLogger{l} }

// SlogLevelTrace is the slog level trace entries are logged at.
const SlogLevelTrace = slog.LevelDebug - 4

type slogLogger struct{ l *slog.Logger }

func slogLevel(level Level) slog.Level {
	switch level {
	case LevelTrace:
		return SlogLevelTrace
	case LevelWarn:
		return slog.LevelWarn
	}
	return slog.LevelDebug
}

func (s slogLogger) Enabled(ctx context.Context, level Level) bool {
	return s.l.Enabled(ctx, slogLevel(level))
}

func (s slogLogger) Log(ctx context.Context, level Level, msg string, fields map[string]any) {
	sl := slogLevel(level)
	if !s.l.Enabled(ctx, sl) {
		return
	}
	keys := make([]string, 0, len(fields))
	for k := range fields {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	attrs := make([]slog.Attr, 0, len(fields))
	for _, k := range keys {
		attrs = append(attrs, slog.Any(k, fields[k]))
	}
	s.l.LogAttrs(ctx, sl, msg, attrs...)
}

// TFLogFuncs adapts tflog-style functions (tflog.Trace, tflog.Debug,
// tflog.Warn all have the signature func(ctx, msg, ...map[string]any)) so
// this package does not have to import terraform-plugin-log.
func TFLogFuncs(trace, debug, warn func(ctx context.Context, msg string, fields ...map[string]any)) Logger {
	return LoggerFunc(func(ctx context.Context, level Level, msg string, fields map[string]any) {
		f := debug
		switch level {
		case LevelTrace:
			f = trace
		case LevelWarn:
			f = warn
		}
		if f != nil {
			f(ctx, msg, fields)
		}
	})
}

func (c *Client) log(ctx context.Context, level Level, msg string, fields map[string]any) {
	if c.logger != nil {
		c.logger.Log(ctx, level, msg, fields)
	}
}
