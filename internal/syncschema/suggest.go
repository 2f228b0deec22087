package syncschema

import (
	"fmt"
	"strings"

	"github.com/entra-provisioning/terraform-provider-entra/internal/expression"
)

// didYouMean returns " Did you mean "a" or "b"?" for close candidates, or "".
func didYouMean(name string, candidates []string) string {
	hits := expression.Suggest(name, candidates)
	if len(hits) == 0 {
		return ""
	}
	q := make([]string, len(hits))
	for i, h := range hits {
		q[i] = fmt.Sprintf("%q", h)
	}
	return " Did you mean " + strings.Join(q, " or ") + "?"
}
