package graphsim

import "net/http"

// The simulated tenant's domains (GET /domains): its initial
// contoso.onmicrosoft.com domain, which seeded users' UPNs use, and the
// verified default contoso.com of their mail addresses. The AzureAD
// provider's azuread_domains (only_initial) builds test UPNs from it.
var tenantDomains = []map[string]any{
	domainJSON("contoso.onmicrosoft.com", true, false),
	domainJSON("contoso.com", false, true),
}

func domainJSON(name string, initial, isDefault bool) map[string]any {
	return map[string]any{
		"id": name, "authenticationType": "Managed", "availabilityStatus": nil,
		"isAdminManaged": true, "isDefault": isDefault, "isInitial": initial, "isRoot": true, "isVerified": true,
		"passwordNotificationWindowInDays": nil, "passwordValidityPeriodInDays": nil,
		"supportedServices": []string{"Email", "OfficeCommunicationsOnline"}, "state": nil,
	}
}

var domainSpec = listSpec{context: "domains", resource: "domain", defaultTop: 100, maxTop: 999}

func (s *Sim) handleListDomains(w http.ResponseWriter, r *http.Request) {
	items := make([]map[string]any, len(tenantDomains))
	for i, d := range tenantDomains {
		items[i] = make(map[string]any, len(d))
		for k, v := range d {
			items[i][k] = v
		}
	}
	s.writeList(w, r, domainSpec, items)
}
