package app_test

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"io"
	"math/big"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/entra-provisioning/terraform-provider-entra/internal/graphsim"
	"github.com/entra-provisioning/terraform-provider-entra/internal/graphsim/simtest"
)

// selfSignedCert writes a certificate and key for 127.0.0.1 into dir and
// returns their paths and the certificate for a client's trust pool.
func selfSignedCert(t *testing.T, dir string) (certFile, keyFile string, cert *x509.Certificate) {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(1),
		Subject:      pkix.Name{CommonName: "entra-provisioning-exporter test"},
		NotBefore:    time.Now().Add(-time.Hour),
		NotAfter:     time.Now().Add(time.Hour),
		IPAddresses:  []net.IP{net.ParseIP("127.0.0.1")},
		KeyUsage:     x509.KeyUsageDigitalSignature,
		ExtKeyUsage:  []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	cert, _ = x509.ParseCertificate(der)
	keyDER, err := x509.MarshalECPrivateKey(key)
	if err != nil {
		t.Fatal(err)
	}
	certFile, keyFile = filepath.Join(dir, "tls.crt"), filepath.Join(dir, "tls.key")
	if err := os.WriteFile(certFile, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(keyFile, pem.EncodeToMemory(&pem.Block{Type: "EC PRIVATE KEY", Bytes: keyDER}), 0o600); err != nil {
		t.Fatal(err)
	}
	return certFile, keyFile, cert
}

// TestWebConfigTLS checks that --web.config.file (exporter-toolkit) serves
// the metrics over TLS only.
func TestWebConfigTLS(t *testing.T) {
	env := simtest.Start(t, graphsim.Options{Users: 1, Groups: 1})
	env.Setenv(t)
	dir := t.TempDir()
	certFile, keyFile, cert := selfSignedCert(t, dir)
	cfg := filepath.Join(dir, "web.yml")
	webYAML := "tls_server_config:\n  cert_file: " + certFile + "\n  key_file: " + keyFile + "\n"
	if err := os.WriteFile(cfg, []byte(webYAML), 0o600); err != nil {
		t.Fatal(err)
	}
	e := startExporter(t, "--web.config.file="+cfg, "--no-logs.enabled")
	addr := strings.TrimPrefix(e.url, "http://")

	pool := x509.NewCertPool()
	pool.AddCert(cert)
	client := &http.Client{Transport: &http.Transport{TLSClientConfig: &tls.Config{RootCAs: pool}}}
	resp, err := client.Get("https://" + addr + "/metrics")
	if err != nil {
		t.Fatalf("HTTPS scrape: %v", err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 200 || resp.TLS == nil || !strings.Contains(string(body), "entra_provisioning_exporter_build_info") {
		t.Errorf("HTTPS scrape: HTTP %d, TLS %v, build_info present %v", resp.StatusCode, resp.TLS != nil, strings.Contains(string(body), "entra_provisioning_exporter_build_info"))
	}
	// Plain HTTP must not get the metrics.
	if resp, err := http.Get("http://" + addr + "/metrics"); err == nil {
		b, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode == 200 || strings.Contains(string(b), "entra_provisioning_") {
			t.Errorf("plain HTTP served metrics: HTTP %d", resp.StatusCode)
		}
	}
}
