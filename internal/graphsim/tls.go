package graphsim

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"errors"
	"fmt"
	"math/big"
	"net"
	"os"
	"path/filepath"
	"time"
)

// CA file names inside Options.CADir. ca.pem is what clients trust
// (SSL_CERT_FILE); ca-key.pem holds the key and a copy of the certificate so
// that one file decides which CA a directory uses (see loadOrCreateCA).
const (
	caCertFileName = "ca.pem"
	caKeyFileName  = "ca-key.pem"
)

type certAuthority struct {
	cert     *x509.Certificate
	key      *ecdsa.PrivateKey
	certFile string
}

// loadOrCreateCA reuses the CA in dir when there is one, so restarts keep the
// trust clients already have; otherwise it creates one. The key file is
// published with a hard link, which fails if another process won the race,
// so concurrent simulators sharing a directory always agree on one CA.
func loadOrCreateCA(dir string) (*certAuthority, error) {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, fmt.Errorf("graphsim: creating CA directory %s: %w", dir, err)
	}
	keyPath := filepath.Join(dir, caKeyFileName)
	if _, err := os.Stat(keyPath); errors.Is(err, os.ErrNotExist) {
		if err := createCAFile(dir, keyPath); err != nil {
			return nil, err
		}
	}
	ca, err := readCAFile(keyPath)
	if err != nil {
		return nil, err
	}
	ca.certFile = filepath.Join(dir, caCertFileName)
	certPEM := pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: ca.cert.Raw})
	if existing, err := os.ReadFile(ca.certFile); err != nil || string(existing) != string(certPEM) {
		tmp, err := os.CreateTemp(dir, ".ca-*.pem")
		if err != nil {
			return nil, fmt.Errorf("graphsim: writing %s: %w", ca.certFile, err)
		}
		_, werr := tmp.Write(certPEM)
		cerr := tmp.Close()
		if werr != nil || cerr != nil {
			os.Remove(tmp.Name())
			return nil, fmt.Errorf("graphsim: writing %s: %v", ca.certFile, errors.Join(werr, cerr))
		}
		if err := os.Chmod(tmp.Name(), 0o644); err != nil {
			return nil, err
		}
		if err := os.Rename(tmp.Name(), ca.certFile); err != nil {
			os.Remove(tmp.Name())
			return nil, fmt.Errorf("graphsim: writing %s: %w", ca.certFile, err)
		}
	}
	return ca, nil
}

func createCAFile(dir, keyPath string) error {
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return fmt.Errorf("graphsim: generating CA key: %w", err)
	}
	now := time.Now()
	tmpl := &x509.Certificate{
		SerialNumber:          randomSerial(),
		Subject:               pkix.Name{CommonName: "graphsim local CA", Organization: []string{"terraform-provider-entra simulator"}},
		NotBefore:             now.Add(-time.Hour),
		NotAfter:              now.AddDate(10, 0, 0),
		KeyUsage:              x509.KeyUsageCertSign | x509.KeyUsageCRLSign | x509.KeyUsageDigitalSignature,
		BasicConstraintsValid: true,
		IsCA:                  true,
		MaxPathLenZero:        true,
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		return fmt.Errorf("graphsim: creating CA certificate: %w", err)
	}
	keyDER, err := x509.MarshalECPrivateKey(key)
	if err != nil {
		return err
	}
	data := append(pem.EncodeToMemory(&pem.Block{Type: "EC PRIVATE KEY", Bytes: keyDER}),
		pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der})...)
	tmp, err := os.CreateTemp(dir, ".ca-key-*.pem") // 0600
	if err != nil {
		return fmt.Errorf("graphsim: writing CA key in %s: %w", dir, err)
	}
	defer os.Remove(tmp.Name())
	if _, err := tmp.Write(data); err != nil {
		tmp.Close()
		return fmt.Errorf("graphsim: writing CA key: %w", err)
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	if err := os.Link(tmp.Name(), keyPath); err != nil && !errors.Is(err, os.ErrExist) {
		return fmt.Errorf("graphsim: publishing CA key %s: %w", keyPath, err)
	}
	return nil
}

func readCAFile(keyPath string) (*certAuthority, error) {
	data, err := os.ReadFile(keyPath)
	if err != nil {
		return nil, fmt.Errorf("graphsim: reading CA key: %w", err)
	}
	ca := &certAuthority{}
	for {
		var block *pem.Block
		block, data = pem.Decode(data)
		if block == nil {
			break
		}
		switch block.Type {
		case "EC PRIVATE KEY":
			ca.key, err = x509.ParseECPrivateKey(block.Bytes)
		case "CERTIFICATE":
			ca.cert, err = x509.ParseCertificate(block.Bytes)
		}
		if err != nil {
			return nil, fmt.Errorf("graphsim: %s is corrupt (%v); delete it to create a new CA", keyPath, err)
		}
	}
	if ca.key == nil || ca.cert == nil {
		return nil, fmt.Errorf("graphsim: %s lacks a key or certificate; delete it to create a new CA", keyPath)
	}
	return ca, nil
}

// serverTLSConfig issues a fresh server certificate for host (plus the
// loopback names) signed by the CA.
func (ca *certAuthority) serverTLSConfig(hostport string) (*tls.Config, error) {
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return nil, fmt.Errorf("graphsim: generating server key: %w", err)
	}
	host, _, err := net.SplitHostPort(hostport)
	if err != nil {
		host = hostport
	}
	tmpl := &x509.Certificate{
		SerialNumber: randomSerial(),
		Subject:      pkix.Name{CommonName: host},
		NotBefore:    time.Now().Add(-time.Hour),
		NotAfter:     time.Now().AddDate(1, 0, 0),
		KeyUsage:     x509.KeyUsageDigitalSignature,
		ExtKeyUsage:  []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
		DNSNames:     []string{"localhost"},
		IPAddresses:  []net.IP{net.IPv4(127, 0, 0, 1), net.IPv6loopback},
	}
	if ip := net.ParseIP(host); ip != nil {
		tmpl.IPAddresses = append(tmpl.IPAddresses, ip)
	} else if host != "localhost" {
		tmpl.DNSNames = append(tmpl.DNSNames, host)
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, ca.cert, &key.PublicKey, ca.key)
	if err != nil {
		return nil, fmt.Errorf("graphsim: issuing server certificate: %w", err)
	}
	return &tls.Config{
		MinVersion:   tls.VersionTLS12,
		Certificates: []tls.Certificate{{Certificate: [][]byte{der, ca.cert.Raw}, PrivateKey: key}},
	}, nil
}

func randomSerial() *big.Int {
	n, err := rand.Int(rand.Reader, new(big.Int).Lsh(big.NewInt(1), 120))
	if err != nil {
		return big.NewInt(time.Now().UnixNano())
	}
	return n
}
