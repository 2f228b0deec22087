package deploy

import (
	"bytes"
	"fmt"
	"testing"

	"github.com/moby/buildkit/frontend/dockerfile/instructions"
	"github.com/moby/buildkit/frontend/dockerfile/linter"
	"github.com/moby/buildkit/frontend/dockerfile/parser"
)

// TestDockerfileLintsCleanWithBuildKit parses the Dockerfile with BuildKit's
// own parser and runs its lint rules that need no build context (the
// parse-time subset of `docker build --check`, experimental rules included).
// hadolint is not packaged for Debian; this needs neither Docker nor network.
func TestDockerfileLintsCleanWithBuildKit(t *testing.T) {
	res, err := parser.Parse(bytes.NewReader(mustRead(t, "Dockerfile")))
	if err != nil {
		t.Fatalf("BuildKit cannot parse the Dockerfile: %v", err)
	}
	var findings []string
	for _, w := range res.Warnings {
		findings = append(findings, fmt.Sprintf("parser: %s", w.Short))
	}
	lint := linter.New(&linter.Config{
		ExperimentalAll: true,
		Warn: func(rule, description, url, msg string, loc []parser.Range) {
			line := 0
			if len(loc) > 0 {
				line = loc[0].Start.Line
			}
			findings = append(findings, fmt.Sprintf("line %d: %s: %s (%s)", line, rule, msg, url))
		},
	})
	stages, _, err := instructions.Parse(res.AST, lint)
	if err != nil {
		t.Fatalf("BuildKit rejects the Dockerfile: %v", err)
	}
	for _, f := range findings {
		t.Error(f)
	}
	if len(stages) != 2 || stages[0].Name != "build" {
		t.Fatalf("want a \"build\" stage and a runtime stage, got %d stages", len(stages))
	}
	final := stages[len(stages)-1]
	var user *instructions.UserCommand
	for _, cmd := range final.Commands {
		if u, ok := cmd.(*instructions.UserCommand); ok {
			user = u
		}
	}
	if user == nil || user.User == "0" || user.User == "root" || user.User == "" {
		t.Error("the runtime stage must switch to a non-root USER")
	}
}

// TestBuildKitLinterCatchesProblems guards the test above against silently
// checking nothing: a Dockerfile with known problems must produce findings.
func TestBuildKitLinterCatchesProblems(t *testing.T) {
	bad := "from golang:1.26 as Build\nMAINTAINER someone\nCMD go run .\n"
	res, err := parser.Parse(bytes.NewReader([]byte(bad)))
	if err != nil {
		t.Fatal(err)
	}
	var rules []string
	lint := linter.New(&linter.Config{ExperimentalAll: true, Warn: func(rule, _, _, _ string, _ []parser.Range) { rules = append(rules, rule) }})
	if _, _, err := instructions.Parse(res.AST, lint); err != nil {
		t.Fatal(err)
	}
	if len(rules) < 2 {
		t.Fatalf("the linter found only %v in a Dockerfile with several problems", rules)
	}
	t.Logf("findings on the bad Dockerfile: %v", rules)
}
