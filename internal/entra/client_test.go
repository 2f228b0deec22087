package entra

import "testing"

func TestODataStringEscapesQuotes(t *testing.T) {
	if got := odataString("O'Brien's app"); got != "O''Brien''s app" {
		t.Errorf("odataString = %q", got)
	}
	if got := filterQuery("displayName eq 'a&b'"); got != "?$filter=displayName%20eq%20%27a%26b%27" {
		t.Errorf("filterQuery = %q", got)
	}
}

// Every id is escaped once, wherever it lands in a path.
func TestPathsEscapeIDs(t *testing.T) {
	for got, want := range map[string]string{
		deletedItemPath("a/b"):            "/directory/deletedItems/a%2Fb",
		jobPath("sp?x", "scim.1#2"):       "/servicePrincipals/sp%3Fx/synchronization/jobs/scim.1%232",
		assignmentPath("sp", "a b"):       "/servicePrincipals/sp/appRoleAssignedTo/a%20b",
		applicationTemplatePath("t/../x"): "/applicationTemplates/t%2F..%2Fx",
	} {
		if got != want {
			t.Errorf("path %q, want %q", got, want)
		}
	}
}
