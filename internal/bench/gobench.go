package bench

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"os/exec"
	"strconv"
	"strings"
)

// GoBenchmark is a per-package Go benchmark the driver runs as its owners
// wrote it (`go test -run '^$' -bench ... -benchmem`).
type GoBenchmark struct {
	Package   string // e.g. ./internal/expression
	Pattern   string // -bench regexp
	BenchTime string // -benchtime; "" = go default
	Env       []string
	Why       string // what the figure answers, for the document
}

// GoBenchResult is one benchmark line: metric unit → value.
type GoBenchResult struct {
	Bench   GoBenchmark
	Name    string
	Metrics map[string]float64
	Units   []string // in output order
	Err     string
}

// RunGoBenchmarks runs each benchmark in root and parses its result lines.
// A failing package is reported in its result, not as an error, so one
// broken benchmark does not hide the others.
func RunGoBenchmarks(ctx context.Context, root string, list []GoBenchmark) []GoBenchResult {
	var out []GoBenchResult
	for _, b := range list {
		args := []string{"test", "-run", "^$", "-bench", b.Pattern, "-benchmem", "-count=1"}
		if b.BenchTime != "" {
			args = append(args, "-benchtime", b.BenchTime)
		}
		cmd := exec.CommandContext(ctx, "go", append(args, b.Package)...)
		cmd.Dir = root
		cmd.Env = append(cmd.Environ(), b.Env...)
		var buf bytes.Buffer
		cmd.Stdout, cmd.Stderr = &buf, &buf
		err := cmd.Run()
		results := parseGoBench(buf.String())
		if err != nil || len(results) == 0 {
			out = append(out, GoBenchResult{Bench: b, Name: b.Pattern,
				Err: fmt.Sprintf("not measured: go %s failed (%v): %s", strings.Join(args, " "), err, lastLines(buf.String(), 3))})
			continue
		}
		for _, r := range results {
			r.Bench = b
			out = append(out, r)
		}
	}
	return out
}

// parseGoBench parses `BenchmarkName-2  N  v unit  v unit ...` lines.
func parseGoBench(text string) []GoBenchResult {
	var out []GoBenchResult
	sc := bufio.NewScanner(strings.NewReader(text))
	for sc.Scan() {
		f := strings.Fields(sc.Text())
		if len(f) < 4 || !strings.HasPrefix(f[0], "Benchmark") {
			continue
		}
		if _, err := strconv.Atoi(f[1]); err != nil {
			continue
		}
		r := GoBenchResult{Name: f[0], Metrics: map[string]float64{}}
		for i := 2; i+1 < len(f); i += 2 {
			v, err := strconv.ParseFloat(f[i], 64)
			if err != nil {
				break
			}
			r.Metrics[f[i+1]] = v
			r.Units = append(r.Units, f[i+1])
		}
		out = append(out, r)
	}
	return out
}
