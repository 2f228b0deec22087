package demo

import (
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// TestStopKillsTheWholeProcessGroup checks that stopping a child also ends
// the processes it started itself (as `go run` or a shell wrapper would).
func TestStopKillsTheWholeProcessGroup(t *testing.T) {
	dir := t.TempDir()
	pidFile := filepath.Join(dir, "grandchild.pid")
	p, err := startProcess("wrapper", dir, nil, os.Environ(), "/bin/sh", "-c", "sleep 60 & echo $! > "+pidFile+"; wait")
	if err != nil {
		t.Fatal(err)
	}
	var grandchild int
	for deadline := time.Now().Add(5 * time.Second); grandchild == 0 && time.Now().Before(deadline); time.Sleep(20 * time.Millisecond) {
		data, _ := os.ReadFile(pidFile)
		if s := strings.TrimSpace(string(data)); s != "" {
			grandchild = atoi(t, s)
		}
	}
	if grandchild == 0 {
		t.Fatal("the wrapper never started its child")
	}
	if err := p.stop(); err != nil {
		t.Fatal(err)
	}
	if !p.exited() {
		t.Fatal("stop returned before the process exited")
	}
	// The grandchild is reparented and reaped by init; give it a moment.
	for deadline := time.Now().Add(3 * time.Second); time.Now().Before(deadline); time.Sleep(20 * time.Millisecond) {
		if syscall.Kill(grandchild, 0) != nil {
			return
		}
	}
	t.Fatalf("grandchild %d survived stop", grandchild)
}

func TestStopIsIdempotentAndTailReadsTheLog(t *testing.T) {
	dir := t.TempDir()
	p, err := startProcess("printer", dir, nil, os.Environ(), "/bin/sh", "-c", "echo one; echo two; echo three >&2")
	if err != nil {
		t.Fatal(err)
	}
	<-p.done
	if err := p.stop(); err != nil {
		t.Fatalf("stopping an exited process: %v", err)
	}
	if got := p.tail(2); got != "two\nthree" {
		t.Fatalf("tail(2) = %q", got)
	}
	if got := tailFile(filepath.Join(dir, "missing.log"), 3); got != "" {
		t.Fatalf("tail of a missing file = %q", got)
	}
}

func atoi(t *testing.T, s string) int {
	t.Helper()
	n := 0
	for _, c := range s {
		if c < '0' || c > '9' {
			t.Fatalf("not a pid: %q", s)
		}
		n = n*10 + int(c-'0')
	}
	return n
}
