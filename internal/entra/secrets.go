package entra

import "context"

// Synchronization secret keys. Graph parses them as .NET enum names, so the
// case is exact.
const (
	SecretKeyBaseAddress             = "BaseAddress"
	SecretKeySecretToken             = "SecretToken"
	SecretKeySyncNotificationSetting = "SyncNotificationSettings"
	SecretKeySyncAll                 = "SyncAll"
	SecretKeySkipOutOfScopeDeletions = "SkipOutOfScopeDeletions"

	// MaskedSecretValue is what a secrets GET returns for secret values.
	MaskedSecretValue = "*"
)

// SecretPair is one synchronizationSecretKeyStringValuePair.
type SecretPair struct {
	Key   string `json:"key"`
	Value string `json:"value"`
}

type secretsBody struct {
	Value []SecretPair `json:"value"`
}

// FindSecrets reads the service principal's synchronization secrets; secret
// values come back masked (MaskedSecretValue).
func (c *Client) FindSecrets(ctx context.Context, spID string) ([]SecretPair, error) {
	var out secretsBody
	if err := c.get(ctx, syncPath(spID)+"/secrets", &out); err != nil {
		return nil, err
	}
	return out.Value, nil
}

// PutSecrets replaces every synchronization secret of the service principal
// with pairs. Graph has no partial update, so callers read, merge and write
// under a per-service-principal lock.
func (c *Client) PutSecrets(ctx context.Context, spID string, pairs []SecretPair) error {
	if pairs == nil {
		pairs = []SecretPair{}
	}
	return c.put(ctx, syncPath(spID)+"/secrets", secretsBody{Value: pairs})
}
