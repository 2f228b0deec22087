package bench

import (
	"bufio"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"time"
)

// Ready is the simulator's JSON ready line (internal/graphsim/cmd/graphsim).
type Ready struct {
	GraphEndpoint string `json:"graph_endpoint"`
	AuthorityHost string `json:"authority_host"`
	TenantID      string `json:"tenant_id"`
	ClientID      string `json:"client_id"`
	ClientSecret  string `json:"client_secret"`
	CAFile        string `json:"ca_file"`
}

// SimOptions are the graphsim flags the harness uses.
type SimOptions struct {
	Users, Groups int
	Speed         float64 // simulated seconds per real second; 0 = simulator default
	Faults        string  // fault spec; "" = none
	Seed          uint64  // seeds the directory and the fault draws; 0 = simulator default
}

// Sim is a running simulator process plus an admin/Graph client for it.
type Sim struct {
	Ready Ready
	*Admin
	cmd     *exec.Cmd
	done    chan struct{}
	logPath string
}

// StartSim runs the graphsim binary with its state and log in workDir and
// waits for its ready line.
func StartSim(bin, workDir string, o SimOptions) (*Sim, error) {
	stateDir := filepath.Join(workDir, "graphsim")
	if err := os.MkdirAll(stateDir, 0o700); err != nil {
		return nil, err
	}
	args := []string{"-listen", "127.0.0.1:0", "-state-dir", stateDir,
		"-users", strconv.Itoa(max(o.Users, 1)), "-groups", strconv.Itoa(max(o.Groups, 1))}
	if o.Speed > 0 {
		args = append(args, "-speed", strconv.FormatFloat(o.Speed, 'f', -1, 64))
	}
	if o.Seed != 0 {
		args = append(args, "-seed", strconv.FormatUint(o.Seed, 10))
	}
	if o.Faults != "" {
		args = append(args, "-faults", o.Faults)
	}
	logPath := filepath.Join(workDir, "graphsim.log")
	logFile, err := os.Create(logPath)
	if err != nil {
		return nil, err
	}
	cmd := exec.Command(bin, args...)
	cmd.Stderr = logFile
	// Own process group: a terminal's Ctrl-C reaches only the driver, which
	// then stops its children in order.
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		logFile.Close()
		return nil, err
	}
	if err := cmd.Start(); err != nil {
		logFile.Close()
		return nil, fmt.Errorf("starting the simulator %s: %w (run `go build -o bin/graphsim ./internal/graphsim/cmd/graphsim`)", bin, err)
	}
	s := &Sim{cmd: cmd, done: make(chan struct{}), logPath: logPath}
	lines := make(chan string, 1)
	go func() {
		r := bufio.NewReader(stdout)
		line, _ := r.ReadString('\n')
		lines <- line
		_, _ = io.Copy(io.Discard, r) // never let the child block on a full pipe
	}()
	go func() { _ = cmd.Wait(); logFile.Close(); close(s.done) }()
	select {
	case line := <-lines:
		if err := json.Unmarshal([]byte(line), &s.Ready); err != nil || s.Ready.GraphEndpoint == "" {
			s.Stop()
			return nil, fmt.Errorf("the simulator's first stdout line is not its ready line (%v): %q; log:\n%s", err, line, tail(logPath, 15))
		}
	case <-time.After(60 * time.Second):
		s.Stop()
		return nil, fmt.Errorf("the simulator printed no ready line within 60s; log:\n%s", tail(logPath, 15))
	}
	admin, err := NewAdmin(s.Ready)
	if err != nil {
		s.Stop()
		return nil, err
	}
	s.Admin = admin
	return s, nil
}

// Pid is the simulator's process id.
func (s *Sim) Pid() int { return s.cmd.Process.Pid }

// Stop terminates the simulator (SIGTERM, then SIGKILL after 5 s).
func (s *Sim) Stop() {
	stopGroup(s.cmd, s.done)
}

// stopGroup signals the process group of cmd and waits for done.
func stopGroup(cmd *exec.Cmd, done chan struct{}) {
	if cmd.Process == nil {
		return
	}
	select {
	case <-done:
		return
	default:
	}
	_ = syscall.Kill(-cmd.Process.Pid, syscall.SIGTERM)
	select {
	case <-done:
	case <-time.After(5 * time.Second):
		if err := syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL); err != nil && !errors.Is(err, syscall.ESRCH) {
			return
		}
		<-done
	}
}

// tail returns the last n lines of a file, for error messages.
func tail(path string, n int) string {
	data, err := os.ReadFile(path)
	if err != nil {
		return ""
	}
	lines := strings.Split(strings.TrimRight(string(data), "\n"), "\n")
	if len(lines) > n {
		lines = lines[len(lines)-n:]
	}
	return strings.Join(lines, "\n")
}
