package graphsim_test

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"

	"github.com/entra-provisioning/terraform-provider-entra/internal/graphsim"
	"github.com/entra-provisioning/terraform-provider-entra/internal/graphsim/simtest"
)

// obj decodes a JSON object response, failing the test on garbage.
func obj(t *testing.T, data []byte) map[string]any {
	t.Helper()
	var m map[string]any
	if err := json.Unmarshal(data, &m); err != nil {
		t.Fatalf("response is not a JSON object: %v: %s", err, data)
	}
	return m
}

// values returns the "value" array of a collection response.
func values(t *testing.T, data []byte) []map[string]any {
	t.Helper()
	var m struct {
		Value []map[string]any `json:"value"`
	}
	if err := json.Unmarshal(data, &m); err != nil || m.Value == nil {
		t.Fatalf("response is not a collection: %v: %s", err, data)
	}
	return m.Value
}

// errorCode returns error.code of a Graph error envelope and checks that the
// envelope carries innerError.request-id and date.
func errorCode(t *testing.T, data []byte) string {
	t.Helper()
	var e struct {
		Error struct {
			Code       string `json:"code"`
			Message    string `json:"message"`
			InnerError struct {
				Date      string `json:"date"`
				RequestID string `json:"request-id"`
			} `json:"innerError"`
		} `json:"error"`
	}
	if err := json.Unmarshal(data, &e); err != nil || e.Error.Code == "" {
		t.Fatalf("response is not a Graph error envelope: %v: %s", err, data)
	}
	if e.Error.InnerError.RequestID == "" || e.Error.InnerError.Date == "" || e.Error.Message == "" {
		t.Fatalf("error envelope lacks message, innerError.request-id or date: %s", data)
	}
	return e.Error.Code
}

func errorMessage(t *testing.T, data []byte) string {
	t.Helper()
	return obj(t, data)["error"].(map[string]any)["message"].(string)
}

// instantiate creates an enterprise app from a template and returns the
// service principal and application objects.
func instantiate(t *testing.T, env *simtest.Env, templateID, name string) (sp, app map[string]any) {
	t.Helper()
	status, body := env.Graph(t, "POST", "/applicationTemplates/"+templateID+"/instantiate", map[string]string{"displayName": name})
	if status != 201 {
		t.Fatalf("instantiate %s: %d %s", templateID, status, body)
	}
	m := obj(t, body)
	return m["servicePrincipal"].(map[string]any), m["application"].(map[string]any)
}

func startSim(t *testing.T, opts graphsim.Options) *simtest.Env {
	t.Helper()
	return simtest.Start(t, opts)
}

func newRequest(method, url, contentType, body string) (*http.Request, error) {
	req, err := http.NewRequest(method, url, strings.NewReader(body))
	if err == nil && contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	return req, err
}

func jsonUnmarshal(data []byte, v any) error { return json.Unmarshal(data, v) }
