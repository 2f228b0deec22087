package bench

import (
	"fmt"
	"strconv"
	"strings"
)

// The "big job" is issue 4's planning target: one provisioning job with 60
// User attribute mappings and 5 scoping filter groups. Its configuration is
// generated rather than written out so the 60 mappings stay readable as a
// table; every name is real: targets from the scim template's enterprise
// User object (internal/graphsim/data/scim-template-schema.json), sources
// from its Azure Active Directory User object, operators from
// filter-operators.json (TestBigJobNamesAreTheTemplates checks all three).

// bigJobMapping is one attribute mapping: exactly one of source, expression.
type bigJobMapping struct {
	target, source, expression string
	matchingPriority           int
}

// bigJobTemplateMappings maps 51 of the template's 52 User targets (all but
// "id", which the SCIM service assigns) from real sources, a few through
// expressions. "title" reads var.title_source: the changed-mapping plan
// flips it.
var bigJobTemplateMappings = []bigJobMapping{
	{target: "userName", source: "userPrincipalName", matchingPriority: 1},
	{target: "active", expression: `Switch([IsSoftDeleted], , "False", "True", "True", "False")`},
	{target: "displayName", source: "displayName"},
	{target: "title"}, // source = var.title_source
	{target: `emails[type eq "work"].value`, source: "mail"},
	{target: "preferredLanguage", source: "preferredLanguage"},
	{target: "name.givenName", source: "givenName"},
	{target: "name.familyName", source: "surname"},
	{target: "name.formatted", expression: `Join(" ", [givenName], [surname])`},
	{target: `addresses[type eq "work"].formatted`, source: "physicalDeliveryOfficeName"},
	{target: `addresses[type eq "work"].streetAddress`, source: "streetAddress"},
	{target: `addresses[type eq "work"].locality`, source: "city"},
	{target: `addresses[type eq "work"].region`, source: "state"},
	{target: `addresses[type eq "work"].postalCode`, source: "postalCode"},
	{target: `addresses[type eq "work"].country`, source: "country"},
	{target: `phoneNumbers[type eq "work"].value`, source: "telephoneNumber"},
	{target: `phoneNumbers[type eq "mobile"].value`, source: "mobile"},
	{target: `phoneNumbers[type eq "fax"].value`, source: "facsimileTelephoneNumber"},
	{target: "externalId", source: "objectId"},
	{target: "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:employeeNumber", source: "employeeId"},
	{target: "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:department", source: "department"},
	{target: "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager", source: "manager"},
	{target: `addresses[type eq "other"].formatted`, source: "extensionAttribute1"},
	{target: "name.honorificPrefix", source: "extensionAttribute2"},
	{target: "name.honorificSuffix", source: "extensionAttribute3"},
	{target: "nickName", source: "mailNickname"},
	{target: "userType", expression: `IIF(IsPresent([employeeId]), "Employee", "Guest")`},
	{target: "locale", expression: `ToLower([preferredLanguage])`},
	{target: "timezone", source: "extensionAttribute4"},
	{target: `emails[type eq "home"].value`, source: "extensionAttribute5"},
	{target: `emails[type eq "other"].value`, expression: `ToLower(Coalesce([originalUserPrincipalName], [userPrincipalName]))`},
	{target: `phoneNumbers[type eq "home"].value`, source: "extensionAttribute6"},
	{target: `phoneNumbers[type eq "other"].value`, source: "extensionAttribute7"},
	{target: `phoneNumbers[type eq "pager"].value`, source: "extensionAttribute8"},
	{target: `addresses[type eq "home"].streetAddress`, source: "extensionAttribute9"},
	{target: `addresses[type eq "home"].locality`, source: "extensionAttribute10"},
	{target: `addresses[type eq "home"].region`, source: "extensionAttribute11"},
	{target: `addresses[type eq "home"].postalCode`, source: "extensionAttribute12"},
	{target: `addresses[type eq "home"].country`, source: "extensionAttribute13"},
	{target: `addresses[type eq "home"].formatted`, expression: `Join(", ", [streetAddress], [city], [country])`},
	{target: `addresses[type eq "other"].streetAddress`, source: "extensionAttribute14"},
	{target: `addresses[type eq "other"].locality`, source: "extensionAttribute15"},
	{target: `addresses[type eq "other"].region`, source: "state"},
	{target: `addresses[type eq "other"].postalCode`, source: "postalCode"},
	{target: `addresses[type eq "other"].country`, source: "country"},
	{target: `roles[primary eq "True"].display`, source: "jobTitle"},
	{target: `roles[primary eq "True"].type`, expression: `ToUpper([department])`},
	{target: `roles[primary eq "True"].value`, source: "employeeId"},
	{target: "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:costCenter", source: "extensionAttribute1"},
	{target: "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:organization", source: "companyName"},
	{target: "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:division", expression: `Left([department], 3)`},
}

// bigJobAddedPrefix names the target attributes the configuration adds
// through target_attributes ("Edit attribute list") to reach 60 mappings.
const bigJobAddedPrefix = "urn:ietf:params:scim:schemas:extension:bench:2.0:User:"

// bigJobMappingCount and bigJobScopingGroups are issue 4's sizes.
const (
	bigJobMappingCount  = 60
	bigJobScopingGroups = 5
)

// bigJobAddedSources feed the added attributes, cycling.
var bigJobAddedSources = []string{"displayName", "mail", "city", "department", "companyName", "jobTitle", "mobile", "employeeId", "givenName"}

// bigJobClause is one scoping clause; values empty for unary operators.
type bigJobClause struct {
	attribute, operator string
	values              []string
}

// bigJobScoping is 5 OR-ed groups of 2–3 AND-ed clauses with a mix of
// binary and unary operators.
var bigJobScoping = [][]bigJobClause{
	{{"department", "EQUALS", []string{"Sales"}}, {"accountEnabled", "IS TRUE", nil}},
	{{"department", "EQUALS", []string{"Engineering"}}, {"mail", "REGEX MATCH", []string{`^.*@example\.com$`}}, {"IsSoftDeleted", "IS FALSE", nil}},
	{{"country", "NOT EQUALS", []string{"US"}}, {"employeeId", "IS NOT NULL", nil}},
	{{"jobTitle", "REGEX MATCH", []string{"^(Manager|Director)"}}, {"accountEnabled", "IS TRUE", nil}, {"companyName", "EQUALS", []string{"Contoso"}}},
	{{"extensionAttribute1", "EQUALS", []string{"provision"}}, {"userPrincipalName", "NOT REGEX MATCH", []string{`^admin`}}},
}

// bigJobMappings returns all 60 mappings and the names of the added targets.
func bigJobMappings() ([]bigJobMapping, []string) {
	ms := append([]bigJobMapping(nil), bigJobTemplateMappings...)
	var added []string
	for i := 0; len(ms) < bigJobMappingCount; i++ {
		name := fmt.Sprintf("%sattr%d", bigJobAddedPrefix, i+1)
		added = append(added, name)
		m := bigJobMapping{target: name, source: bigJobAddedSources[i%len(bigJobAddedSources)]}
		if i%3 == 2 {
			m = bigJobMapping{target: name, expression: fmt.Sprintf(`Join("-", [%s], [objectId])`, m.source)}
		}
		ms = append(ms, m)
	}
	return ms, added
}

// bigJobHCL is a root module with one enterprise application and its
// provisioning job carrying the 60 mappings and 5 scoping groups.
func bigJobHCL() string {
	ms, added := bigJobMappings()
	var b strings.Builder
	b.WriteString(`terraform {
  required_version = ">= 1.11"
  required_providers {
    entra = { source = "entra-provisioning/entra" }
  }
}

provider "entra" {}

variable "prefix" { type = string }
variable "scim_base_url" { type = string }
variable "scim_token" {
  type      = string
  sensitive = true
  ephemeral = true
}
# The changed-mapping plan sets this to another source attribute.
variable "title_source" {
  type    = string
  default = "jobTitle"
}

resource "entra_enterprise_application" "app" {
  display_name = "${var.prefix} mappings"
}

resource "entra_provisioning_job" "app" {
  service_principal_id    = entra_enterprise_application.app.service_principal_id
  tenant_url              = "${var.scim_base_url}/_sim/scim/bench/"
  secret_token_wo         = var.scim_token
  secret_token_wo_version = 1
  validate_credentials    = true
  enabled                 = true

  object_mappings = {
    User = {
      scoping_filter = [
`)
	for _, g := range bigJobScoping {
		var clauses []string
		for _, c := range g {
			cl := fmt.Sprintf("{ attribute = %s, operator = %s", strconv.Quote(c.attribute), strconv.Quote(c.operator))
			if len(c.values) > 0 {
				var vs []string
				for _, v := range c.values {
					vs = append(vs, hclString(v))
				}
				cl += ", values = [" + strings.Join(vs, ", ") + "]"
			}
			clauses = append(clauses, cl+" }")
		}
		fmt.Fprintf(&b, "        { clauses = [%s] },\n", strings.Join(clauses, ", "))
	}
	b.WriteString("      ]\n      attribute_mappings = {\n")
	width := 0 // terraform fmt aligns the "=" of consecutive map entries
	for _, m := range ms {
		width = max(width, len(hclString(m.target)))
	}
	for _, m := range ms {
		var v string
		switch {
		case m.target == "title":
			v = "source = var.title_source"
		case m.expression != "":
			v = "expression = " + hclString(m.expression)
		default:
			v = "source = " + hclString(m.source)
		}
		if m.matchingPriority > 0 {
			v += fmt.Sprintf(", matching_priority = %d", m.matchingPriority)
		}
		fmt.Fprintf(&b, "        %-*s = { %s }\n", width, hclString(m.target), v)
	}
	b.WriteString("      }\n    }\n    Group = { enabled = false }\n  }\n\n  target_attributes = {\n")
	fmt.Fprintf(&b, "    %s = {\n", hclString(enterpriseUserObject))
	for _, name := range added {
		fmt.Fprintf(&b, "      %s = { type = \"String\" }\n", hclString(name))
	}
	b.WriteString("    }\n  }\n}\n")
	return b.String()
}

// enterpriseUserObject is the scim template's User target object.
const enterpriseUserObject = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"

// hclString quotes s as an HCL string literal: Go quoting plus escaping the
// template sequences "${" and "%{", which HCL would interpolate.
func hclString(s string) string {
	q := strconv.Quote(s)
	q = strings.ReplaceAll(q, "${", "$${")
	return strings.ReplaceAll(q, "%{", "%%{")
}
