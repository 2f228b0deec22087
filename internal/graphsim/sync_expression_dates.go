package graphsim

import (
	"strconv"
	"strings"
	"time"

	"github.com/entra-provisioning/terraform-provider-entra/internal/expression"
)

// fileTimeEpoch is the origin of Windows FILETIME values (AD integer dates).
var fileTimeEpoch = time.Date(1601, 1, 1, 0, 0, 0, 0, time.UTC)

// dotnetLayout converts a .NET custom date format ("yyyyMMddHHmmss.fZ") to a
// Go layout; unknown letters are kept literally.
func dotnetLayout(f string) string {
	tokens := []struct{ net, goLayout string }{
		{"yyyy", "2006"}, {"yy", "06"}, {"MMMM", "January"}, {"MMM", "Jan"}, {"MM", "01"}, {"M", "1"},
		{"dddd", "Monday"}, {"ddd", "Mon"}, {"dd", "02"}, {"d", "2"}, {"HH", "15"}, {"hh", "03"}, {"h", "3"},
		{"mm", "04"}, {"m", "4"}, {"ss", "05"}, {"s", "5"}, {"fffffff", "0000000"}, {"ffffff", "000000"},
		{"fff", "000"}, {"ff", "00"}, {"f", "0"}, {"tt", "PM"}, {"zzz", "-07:00"}, {"K", "Z07:00"},
	}
	var b strings.Builder
	for i := 0; i < len(f); {
		if f[i] == '\'' || f[i] == '"' {
			end := strings.IndexByte(f[i+1:], f[i])
			if end < 0 {
				b.WriteString(f[i+1:])
				break
			}
			b.WriteString(f[i+1 : i+1+end])
			i += end + 2
			continue
		}
		matched := false
		for _, t := range tokens {
			if strings.HasPrefix(f[i:], t.net) {
				b.WriteString(t.goLayout)
				i += len(t.net)
				matched = true
				break
			}
		}
		if !matched {
			b.WriteByte(f[i])
			i++
		}
	}
	return b.String()
}

// parseLooseDate reads the date shapes attributes commonly carry.
func parseLooseDate(s string) (time.Time, bool) {
	for _, layout := range []string{time.RFC3339Nano, "2006-01-02T15:04:05", "2006-01-02", "20060102150405.0Z", "01/02/2006 15:04:05", "01/02/2006"} {
		if t, err := time.Parse(layout, s); err == nil {
			return t.UTC(), true
		}
	}
	return time.Time{}, false
}

func fnFormatDateTime(args []*expression.Node, env *evalEnv) (any, error) {
	src, ok, err := argString(args, 0, env)
	if err != nil || !ok {
		return nil, err
	}
	inIdx, outIdx := 1, 2
	if len(args) >= 4 { // (source, dateTimeStyles, inputFormat, outputFormat)
		inIdx, outIdx = 2, 3
	}
	in, _, err := argString(args, inIdx, env)
	if err != nil {
		return nil, err
	}
	out, _, err := argString(args, outIdx, env)
	if err != nil {
		return nil, err
	}
	t, perr := time.Parse(dotnetLayout(in), src)
	if perr != nil {
		var loose bool
		if t, loose = parseLooseDate(src); !loose {
			return nil, evalErrorf("FormatDateTime: %q does not match input format %q", src, in)
		}
	}
	return t.Format(dotnetLayout(out)), nil
}

func fnCDate(args []*expression.Node, env *evalEnv) (any, error) {
	s, ok, err := argString(args, 0, env)
	if err != nil || !ok {
		return nil, err
	}
	t, parsed := parseLooseDate(s)
	if !parsed {
		return nil, evalErrorf("CDate: %q is not a date", s)
	}
	return t.Format("2006-01-02T15:04:05Z"), nil
}

// addInterval adds n units of a VB interval (yyyy, m, d, ww, h, n, s).
func addInterval(t time.Time, interval string, n int) (time.Time, bool) {
	switch interval {
	case "yyyy":
		return t.AddDate(n, 0, 0), true
	case "m":
		return t.AddDate(0, n, 0), true
	case "d":
		return t.AddDate(0, 0, n), true
	case "ww":
		return t.AddDate(0, 0, 7*n), true
	case "h":
		return t.Add(time.Duration(n) * time.Hour), true
	case "n":
		return t.Add(time.Duration(n) * time.Minute), true
	case "s":
		return t.Add(time.Duration(n) * time.Second), true
	}
	return t, false
}

func fnDateAdd(args []*expression.Node, env *evalEnv) (any, error) {
	interval, _, err := argString(args, 0, env)
	if err != nil {
		return nil, err
	}
	n, err := argInt(args, 1, env, "DateAdd")
	if err != nil {
		return nil, err
	}
	s, ok, err := argString(args, 2, env)
	if err != nil || !ok {
		return nil, err
	}
	t, parsed := parseLooseDate(s)
	if !parsed {
		return nil, evalErrorf("DateAdd: %q is not a date", s)
	}
	r, known := addInterval(t, interval, n)
	if !known {
		return nil, evalErrorf("DateAdd: unknown interval %q (use yyyy, m, d, ww, h, n or s)", interval)
	}
	return r.Format("2006-01-02T15:04:05Z"), nil
}

func fnDateDiff(args []*expression.Node, env *evalEnv) (any, error) {
	interval, _, err := argString(args, 0, env)
	if err != nil {
		return nil, err
	}
	a, okA, err := argString(args, 1, env)
	if err != nil {
		return nil, err
	}
	b, okB, err := argString(args, 2, env)
	if err != nil || !okA || !okB {
		return nil, err
	}
	t1, p1 := parseLooseDate(a)
	t2, p2 := parseLooseDate(b)
	if !p1 || !p2 {
		return nil, evalErrorf("DateDiff: both arguments must be dates")
	}
	d := t2.Sub(t1)
	var n int64
	switch interval {
	case "yyyy":
		n = int64(t2.Year() - t1.Year())
	case "m":
		n = int64((t2.Year()-t1.Year())*12 + int(t2.Month()-t1.Month()))
	case "d":
		n = int64(d / (24 * time.Hour))
	case "ww":
		n = int64(d / (7 * 24 * time.Hour))
	case "h":
		n = int64(d / time.Hour)
	case "n":
		n = int64(d / time.Minute)
	case "s":
		n = int64(d / time.Second)
	default:
		return nil, evalErrorf("DateDiff: unknown interval %q (use yyyy, m, d, ww, h, n or s)", interval)
	}
	return strconv.FormatInt(n, 10), nil
}

func fnDateFromNum(args []*expression.Node, env *evalEnv) (any, error) {
	s, ok, err := argString(args, 0, env)
	if err != nil || !ok {
		return nil, err
	}
	n, perr := strconv.ParseInt(strings.TrimSpace(s), 10, 64)
	if perr != nil {
		return nil, evalErrorf("DateFromNum: %q is not an integer date", s)
	}
	// FILETIME counts 100 ns ticks since 1601 (beyond time.Duration's range).
	t := time.Unix(n/10_000_000+fileTimeEpoch.Unix(), (n%10_000_000)*100).UTC()
	return t.Format("2006-01-02T15:04:05Z"), nil
}

func fnNumFromDate(args []*expression.Node, env *evalEnv) (any, error) {
	s, ok, err := argString(args, 0, env)
	if err != nil || !ok {
		return nil, err
	}
	t, parsed := parseLooseDate(s)
	if !parsed {
		return nil, evalErrorf("NumFromDate: %q is not an ISO 8601 date", s)
	}
	secs := t.Unix() - fileTimeEpoch.Unix()
	return strconv.FormatInt(secs*10_000_000+int64(t.Nanosecond()/100), 10), nil
}
