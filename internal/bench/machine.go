package bench

import (
	"bufio"
	"os"
	"os/exec"
	"runtime"
	"strconv"
	"strings"
	"time"
)

// Machine describes where the numbers were measured.
type Machine struct {
	CPU       string
	Cores     int
	MemoryGiB float64
	OS        string
	Go        string
	Terraform string
	LoadAvg   string // at the start of the run: the machine may be shared
	Date      time.Time
	Command   string
}

// DescribeMachine reads the CPU model, memory and tool versions.
func DescribeMachine(command string) Machine {
	m := Machine{Cores: runtime.NumCPU(), OS: runtime.GOOS + "/" + runtime.GOARCH, Date: time.Now().UTC(), Command: command}
	m.CPU = procField("/proc/cpuinfo", "model name")
	if kb, err := strconv.ParseFloat(strings.Fields(procField("/proc/meminfo", "MemTotal") + " 0")[0], 64); err == nil {
		m.MemoryGiB = kb / (1 << 20)
	}
	if out, err := exec.Command("go", "env", "GOVERSION").Output(); err == nil {
		m.Go = strings.TrimSpace(string(out))
	}
	if out, err := exec.Command("terraform", "version").Output(); err == nil {
		m.Terraform = strings.TrimSpace(strings.SplitN(string(out), "\n", 2)[0])
	}
	if b, err := os.ReadFile("/proc/loadavg"); err == nil {
		if f := strings.Fields(string(b)); len(f) >= 3 {
			m.LoadAvg = strings.Join(f[:3], " ")
		}
	}
	return m
}

// procField returns the value after "name:" in a /proc file ("" if absent).
func procField(path, name string) string {
	f, err := os.Open(path)
	if err != nil {
		return ""
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if k, v, ok := strings.Cut(sc.Text(), ":"); ok && strings.TrimSpace(k) == name {
			return strings.TrimSpace(v)
		}
	}
	return ""
}

// residentKiB returns VmRSS and VmHWM (peak) of a process in KiB.
func residentKiB(pid int) (rss, hwm int) {
	path := "/proc/" + strconv.Itoa(pid) + "/status"
	rss, _ = strconv.Atoi(strings.Fields(procField(path, "VmRSS") + " 0")[0])
	hwm, _ = strconv.Atoi(strings.Fields(procField(path, "VmHWM") + " 0")[0])
	return rss, hwm
}
