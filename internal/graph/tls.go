package graph

import (
	"crypto/tls"
	"crypto/x509"
	"fmt"
	"net"
	"net/http"
	"os"
	"time"
)

// newBaseTransport returns the bottom of the transport chain: a fresh
// http.Transport that trusts the system roots plus caFile (or SSL_CERT_FILE).
// The file is read now, not when Go first loads the system pool, so several
// simulators with different CAs can each be reached from one process.
func newBaseTransport(caFile string) (*http.Transport, error) {
	source := "the CA file"
	if caFile == "" {
		caFile, source = os.Getenv("SSL_CERT_FILE"), "SSL_CERT_FILE"
	}
	tlsConfig := &tls.Config{MinVersion: tls.VersionTLS12}
	if caFile != "" {
		pem, err := os.ReadFile(caFile)
		if err != nil {
			return nil, fmt.Errorf("reading the CA bundle %s (%s): %w; point %s at a readable PEM file", caFile, source, err, source)
		}
		pool, err := x509.SystemCertPool()
		if err != nil || pool == nil {
			pool = x509.NewCertPool()
		}
		if !pool.AppendCertsFromPEM(pem) {
			return nil, fmt.Errorf("the CA bundle %s (%s) holds no PEM certificate; point %s at a PEM file", caFile, source, source)
		}
		tlsConfig.RootCAs = pool
	}
	return &http.Transport{
		Proxy:                 http.ProxyFromEnvironment,
		DialContext:           (&net.Dialer{Timeout: 30 * time.Second, KeepAlive: 30 * time.Second}).DialContext,
		TLSClientConfig:       tlsConfig,
		ForceAttemptHTTP2:     true,
		MaxIdleConns:          100,
		MaxIdleConnsPerHost:   16, // $batch fan-out and parallel Terraform resources share one host
		IdleConnTimeout:       90 * time.Second,
		TLSHandshakeTimeout:   10 * time.Second,
		ExpectContinueTimeout: time.Second,
	}, nil
}
