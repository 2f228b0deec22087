package simtest

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"time"

	"github.com/entra-provisioning/terraform-provider-entra/internal/graphsim"
)

// Admin is a client of the simulator's /_sim admin API.
type Admin struct {
	base   string
	client *http.Client
}

func (a *Admin) call(method, path string, in, out any) error {
	var body io.Reader
	if in != nil {
		data, err := json.Marshal(in)
		if err != nil {
			return err
		}
		body = bytes.NewReader(data)
	}
	req, err := http.NewRequest(method, a.base+path, body)
	if err != nil {
		return err
	}
	if in != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	resp, err := a.client.Do(req)
	if err != nil {
		return fmt.Errorf("simtest admin %s %s: %w", method, path, err)
	}
	defer resp.Body.Close()
	data, _ := io.ReadAll(resp.Body)
	if resp.StatusCode >= 300 {
		return fmt.Errorf("simtest admin %s %s: HTTP %d: %s", method, path, resp.StatusCode, bytes.TrimSpace(data))
	}
	if out != nil {
		return json.Unmarshal(data, out)
	}
	return nil
}

// RequestCounts returns Graph requests per route since the last reset.
func (a *Admin) RequestCounts() (graphsim.RequestCounts, error) {
	var c graphsim.RequestCounts
	err := a.call(http.MethodGet, "/requests", nil, &c)
	return c, err
}

// ResetRequests zeroes the request counts.
func (a *Admin) ResetRequests() error { return a.call(http.MethodDelete, "/requests", nil, nil) }

// Advance moves the simulated clock forward.
func (a *Admin) Advance(d time.Duration) error {
	return a.call(http.MethodPost, "/clock/advance", map[string]string{"duration": d.String()}, nil)
}

// SetFaults replaces the fault spec ("" clears all faults).
func (a *Admin) SetFaults(spec string) error {
	return a.call(http.MethodPut, "/faults", map[string]string{"spec": spec}, nil)
}

// State returns GET /_sim/state decoded generically.
func (a *Admin) State() (map[string]any, error) {
	var st map[string]any
	err := a.call(http.MethodGet, "/state", nil, &st)
	return st, err
}

// RunEngine advances the simulated clock by d (0: not at all), runs every
// provisioning cycle that is then due and waits for the engine to be idle;
// it returns how many cycles ran (POST /_sim/engine/run).
func (a *Admin) RunEngine(d time.Duration) (int, error) {
	var out struct {
		CyclesRun int `json:"cyclesRun"`
	}
	err := a.call(http.MethodPost, "/engine/run?advance="+d.String(), nil, &out)
	return out.CyclesRun, err
}

// SetTargetFailure makes the SCIM target name fail ("503", "500", "401",
// "down") or recover ("none").
func (a *Admin) SetTargetFailure(name, mode string) error {
	return a.call(http.MethodPost, "/scim/"+name+"/_fail", map[string]string{"mode": mode}, nil)
}
