package jobstatus

import (
	"bytes"
	"encoding/json"
	"math"
	"strconv"
	"strings"
	"time"
)

// The lenient leaf types below never return an error from UnmarshalJSON:
// Graph (or a proxy in front of it) sending a wrong type for one field must
// cost that one value, not the whole job. Each remembers whether the value it
// saw was unusable so the parser can report what was malformed.

// Opt is an optional number: Valid is false when the field was absent, null,
// a sentinel, or malformed.
type Opt struct {
	Value float64
	Valid bool
}

func some(v float64) Opt { return Opt{Value: v, Valid: true} }

type lenientString struct {
	s   string
	bad bool
}

func (l *lenientString) UnmarshalJSON(b []byte) error {
	if isNull(b) {
		return nil
	}
	if err := json.Unmarshal(b, &l.s); err != nil {
		l.s, l.bad = "", true
	}
	return nil
}

type lenientNumber struct {
	v   Opt
	bad bool
}

func (l *lenientNumber) UnmarshalJSON(b []byte) error {
	if isNull(b) {
		return nil
	}
	raw := string(bytes.TrimSpace(b))
	// Int64 fields arrive as strings when a client asks for IEEE754Compatible=true.
	raw = strings.Trim(raw, `"`)
	f, err := strconv.ParseFloat(raw, 64)
	// ParseFloat also accepts "NaN" and "Inf" in a string; no Graph count
	// is either, and exporting one would break every sum and alert over it.
	if err != nil || math.IsNaN(f) || math.IsInf(f, 0) {
		l.bad = true
		return nil
	}
	l.v = some(f)
	return nil
}

type lenientTime struct {
	v   Opt
	bad bool
}

// timeLayouts are the forms Graph uses: RFC 3339 with a zone and fractional
// seconds, and (in some synchronization payloads) no zone at all, meaning UTC.
var timeLayouts = []string{time.RFC3339Nano, "2006-01-02T15:04:05.9999999", "2006-01-02T15:04:05"}

func (l *lenientTime) UnmarshalJSON(b []byte) error {
	l.v, l.bad = decodeLenientString(b, func(s string) (float64, bool, error) {
		t, ok, err := ParseTimestamp(s)
		return float64(t.UnixNano()) / 1e9, ok, err
	})
	return nil
}

// decodeLenientString reads a JSON string through parse. null and values
// parse reports as absent (sentinels, "") give no value; anything that is not
// a string or does not parse is flagged bad instead of failing the document.
func decodeLenientString(b []byte, parse func(string) (float64, bool, error)) (v Opt, bad bool) {
	if isNull(b) {
		return Opt{}, false
	}
	var s string
	if err := json.Unmarshal(b, &s); err != nil {
		return Opt{}, true
	}
	f, ok, err := parse(s)
	if err != nil {
		return Opt{}, true
	}
	if ok {
		return some(f), false
	}
	return Opt{}, false
}

// ParseTimestamp parses a Graph timestamp. ok is false for "" and for the
// DateTime.MinValue sentinel "0001-01-01T00:00:00Z" that Graph uses for
// "never" (for example steadyStateLastAchievedTime before a first steady state).
func ParseTimestamp(s string) (t time.Time, ok bool, err error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return time.Time{}, false, nil
	}
	for _, layout := range timeLayouts {
		t, err = time.Parse(layout, s)
		if err == nil {
			break
		}
	}
	if err != nil {
		return time.Time{}, false, err
	}
	// Year 1 is DateTime.MinValue in any formatting; no real cycle is that old.
	if t.Year() <= 1 {
		return time.Time{}, false, nil
	}
	return t.UTC(), true, nil
}

type lenientDuration struct {
	v    Opt
	bad  bool
	text string // the string as sent, for callers that show it
}

func (l *lenientDuration) UnmarshalJSON(b []byte) error {
	l.v, l.bad = decodeLenientString(b, ParseDuration)
	if l.v.Valid {
		_ = json.Unmarshal(b, &l.text)
	}
	return nil
}

func isNull(b []byte) bool { return string(bytes.TrimSpace(b)) == "null" }
