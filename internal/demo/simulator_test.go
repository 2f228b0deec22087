package demo

import (
	"io"
	"strings"
	"testing"
	"time"
)

func TestParseReadyLine(t *testing.T) {
	good := `{"graph_endpoint":"https://127.0.0.1:4443","authority_host":"https://127.0.0.1:4443/","tenant_id":"t","client_id":"c","client_secret":"s","ca_file":"/tmp/ca.pem","admin_endpoint":"https://127.0.0.1:4443/_sim"}`
	r, err := parseReadyLine([]byte(good + "\n"))
	if err != nil {
		t.Fatalf("valid ready line rejected: %v", err)
	}
	if r.GraphEndpoint != "https://127.0.0.1:4443" || r.CAFile != "/tmp/ca.pem" || r.ClientSecret != "s" {
		t.Fatalf("fields not decoded: %+v", r)
	}

	for name, tc := range map[string]struct{ line, wantErr string }{
		"not json":     {"graphsim: listening on 127.0.0.1:0", "not its JSON ready line"},
		"missing":      {`{"graph_endpoint":"https://127.0.0.1:1","tenant_id":"t"}`, "lacks"},
		"not loopback": {strings.Replace(good, "127.0.0.1", "10.0.0.1", 1), "not a loopback"},
	} {
		t.Run(name, func(t *testing.T) {
			_, err := parseReadyLine([]byte(tc.line))
			if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
				t.Fatalf("error = %v, want one containing %q", err, tc.wantErr)
			}
		})
	}
}

func TestParseReadyLineNamesEveryMissingField(t *testing.T) {
	_, err := parseReadyLine([]byte(`{"graph_endpoint":"https://127.0.0.1:1"}`))
	for _, f := range []string{"authority_host", "tenant_id", "client_id", "client_secret", "ca_file"} {
		if err == nil || !strings.Contains(err.Error(), f) {
			t.Errorf("error %v does not name missing %s", err, f)
		}
	}
}

func TestReadReadyLineTimesOutAndReportsEOF(t *testing.T) {
	pr, pw := io.Pipe()
	defer pw.Close()
	start := time.Now()
	if _, err := readReadyLine(pr, 100*time.Millisecond); err == nil || !strings.Contains(err.Error(), "no ready line within") {
		t.Fatalf("silent simulator: error = %v", err)
	}
	if time.Since(start) > 2*time.Second {
		t.Fatal("readReadyLine did not honour its timeout")
	}
	if _, err := readReadyLine(strings.NewReader(""), time.Second); err == nil || !strings.Contains(err.Error(), "closed stdout") {
		t.Fatalf("simulator that exits at once: error = %v", err)
	}
}
