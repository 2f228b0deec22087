package graph

import (
	"bytes"
	"context"
	"log/slog"
	"strings"
	"testing"
)

func TestTFLogFuncsRoutesLevels(t *testing.T) {
	var got []string
	rec := func(name string) func(context.Context, string, ...map[string]any) {
		return func(_ context.Context, msg string, fields ...map[string]any) {
			got = append(got, name+":"+msg+":"+fields[0]["k"].(string))
		}
	}
	l := TFLogFuncs(rec("trace"), rec("debug"), rec("warn"))
	ctx := context.Background()
	l.Log(ctx, LevelTrace, "a", map[string]any{"k": "1"})
	l.Log(ctx, LevelDebug, "b", map[string]any{"k": "2"})
	l.Log(ctx, LevelWarn, "c", map[string]any{"k": "3"})
	if strings.Join(got, " ") != "trace:a:1 debug:b:2 warn:c:3" {
		t.Fatalf("got %v", got)
	}
}

func TestSlogLoggerHonoursLevels(t *testing.T) {
	var buf bytes.Buffer
	l := SlogLogger(slog.New(slog.NewTextHandler(&buf, &slog.HandlerOptions{Level: slog.LevelDebug})))
	ctx := context.Background()
	if l.(levelEnabler).Enabled(ctx, LevelTrace) {
		t.Fatal("trace must be off at debug level, so bodies are not even read")
	}
	l.Log(ctx, LevelTrace, "hidden", nil)
	l.Log(ctx, LevelDebug, "graph response", map[string]any{"status": 200, "route": "GET /users"})
	out := buf.String()
	if strings.Contains(out, "hidden") || !strings.Contains(out, "status=200") || !strings.Contains(out, `route="GET /users"`) {
		t.Fatalf("slog output %q", out)
	}
}
