package graph

import (
	"context"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"math/big"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// writeClientCertificate writes a PEM file holding a self-signed
// certificate and its private key, as az ad sp create-for-rbac --create-cert does.
func writeClientCertificate(t *testing.T) string {
	t.Helper()
	key, err := rsa.GenerateKey(rand.Reader, 2048) // Entra client certificates are RSA
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "entra-provider-test"},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour)}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	keyDER, err := x509.MarshalPKCS8PrivateKey(key)
	if err != nil {
		t.Fatal(err)
	}
	data := append(pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}),
		pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: keyDER})...)
	path := filepath.Join(t.TempDir(), "client.pem")
	if err := os.WriteFile(path, data, 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

// Each assertion-based credential reaches the token endpoint with the
// assertion it should, and the assertion never reaches the logs.
func TestAssertionCredentialsEndToEnd(t *testing.T) {
	const federated = "federated.jwt.from-the-ci-system"
	tokenFile := filepath.Join(t.TempDir(), "token")
	if err := os.WriteFile(tokenFile, []byte(federated+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		name  string
		cfg   Config
		check func(assertion string) bool
	}{
		{"client certificate", Config{ClientCertificatePath: writeClientCertificate(t)},
			func(a string) bool { return strings.Count(a, ".") == 2 && a != federated }}, // a JWT signed with the key
		{"oidc token", Config{UseOIDC: true, OIDCToken: federated}, func(a string) bool { return a == federated }},
		{"oidc token file", Config{UseOIDC: true, OIDCTokenFilePath: tokenFile}, func(a string) bool { return a == federated }},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			srv, caFile, assertions := fakeEntraWithAssertions(t)
			logs := &capturedLog{}
			cfg := tc.cfg
			cfg.TenantID, cfg.ClientID = fakeTenant, fakeClientID
			cfg.GraphEndpoint, cfg.AuthorityHost, cfg.CAFile, cfg.Logger = srv.URL, srv.URL, caFile, logs
			c, err := New(context.Background(), cfg)
			if err != nil {
				t.Fatal(err)
			}
			if err := c.Do(context.Background(), "PUT", "/servicePrincipals/sp1/synchronization/secrets", map[string]any{"value": []any{}}, nil); err != nil {
				t.Fatalf("authenticated call: %v", err)
			}
			got := assertions()
			if len(got) != 1 || !tc.check(got[0]) {
				t.Fatalf("token endpoint received assertions %q", got)
			}
			if text := logs.text(); strings.Contains(text, got[0]) || !strings.Contains(text, "client_assertion=[REDACTED]") {
				t.Fatalf("the client assertion must be redacted in the logs:\n%s", text)
			}
		})
	}
}
