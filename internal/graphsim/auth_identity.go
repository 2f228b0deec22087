package graphsim

import (
	"crypto/rand"
	"crypto/rsa"
	"encoding/base64"
	"fmt"
	"sync"
	"time"

	"github.com/google/uuid"
)

// Application permissions (app roles of Microsoft Graph) granted to the
// seeded clients. Writes need a ReadWrite permission; see requireWrite.
var (
	readWritePermissions = []string{
		"Application.ReadWrite.All", "AppRoleAssignment.ReadWrite.All", "Synchronization.ReadWrite.All",
		"Directory.Read.All", "User.Read.All", "Group.Read.All", "AuditLog.Read.All",
	}
	readOnlyPermissions = []string{
		"Application.Read.All", "Synchronization.Read.All", "Directory.Read.All",
		"User.Read.All", "Group.Read.All", "AuditLog.Read.All",
	}
)

// oauthClient is an app registration that may use the client-credentials grant.
type oauthClient struct {
	ID          string   // appId / client_id
	ObjectID    string   // its service principal's object id (the token's oid)
	DisplayName string   // for logs
	Secret      string   // client secret
	Roles       []string // Graph application permissions
}

func (c *oauthClient) canWrite() bool {
	for _, r := range c.Roles {
		if r == "Application.ReadWrite.All" || r == "Synchronization.ReadWrite.All" || r == "Directory.ReadWrite.All" {
			return true
		}
	}
	return false
}

// processSigningKey is the RSA key that signs access tokens. Generating one
// takes about a second on a small machine, so all simulators in a process
// share it; tokens still never cross simulators because each has its own
// tenant id, which authenticate checks.
var processSigningKey = sync.OnceValues(func() (*rsa.PrivateKey, error) {
	key, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		return nil, fmt.Errorf("graphsim: generating token signing key: %w", err)
	}
	return key, nil
})

// initIdentity creates the tenant and the two seeded clients. Random per
// run: a token from an earlier run is rejected like one from another tenant.
func (s *Sim) initIdentity() error {
	key, err := processSigningKey()
	if err != nil {
		return err
	}
	s.signingKey = key
	s.keyID = randomToken(12)
	s.tenantID = uuid.NewString()
	s.tenantCreated = time.Now().UTC().Truncate(time.Second)
	s.identityHeader = randomToken(24)
	s.clients = map[string]*oauthClient{}
	for _, c := range []*oauthClient{
		{ID: uuid.NewString(), ObjectID: uuid.NewString(), DisplayName: "graphsim-admin", Secret: "sim~" + randomToken(30), Roles: readWritePermissions},
		{ID: uuid.NewString(), ObjectID: uuid.NewString(), DisplayName: "graphsim-reader", Secret: "sim~" + randomToken(30), Roles: readOnlyPermissions},
	} {
		s.clients[c.ID] = c
	}
	// Remember which is which without relying on map order.
	for _, c := range s.clients {
		if c.canWrite() {
			s.defaultClientID = c.ID
		} else {
			s.readOnlyClientID = c.ID
		}
	}
	return nil
}

func (s *Sim) defaultClient() *oauthClient  { return s.clients[s.defaultClientID] }
func (s *Sim) readOnlyClient() *oauthClient { return s.clients[s.readOnlyClientID] }

// randomToken returns n random bytes as unpadded base64url.
func randomToken(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b)
	return base64.RawURLEncoding.EncodeToString(b)
}
