package graphsim

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"time"
	"unicode"

	"github.com/google/uuid"
)

// User writes, for "portal" changes in demos and tests: a new hire, a
// department change that moves a user in or out of a scoping filter, a
// leaver (soft delete → IsSoftDeleted for the provisioning engine).

// userFields maps settable Graph user properties to the User struct.
func userFields(u *User) map[string]*string {
	return map[string]*string{
		"displayName": &u.DisplayName, "givenName": &u.GivenName, "surname": &u.Surname,
		"mail": &u.Mail, "mailNickname": &u.MailNickname, "jobTitle": &u.JobTitle,
		"department": &u.Department, "companyName": &u.CompanyName, "country": &u.Country,
		"city": &u.City, "state": &u.State, "streetAddress": &u.StreetAddress,
		"postalCode": &u.PostalCode, "officeLocation": &u.PhysicalDeliveryOfficeName,
		"mobilePhone": &u.Mobile, "faxNumber": &u.FacsimileTelephoneNumber,
		"preferredLanguage": &u.PreferredLanguage, "employeeId": &u.EmployeeID,
		"userPrincipalName": &u.UserPrincipalName,
	}
}

// applyUserBody sets properties from a decoded body on u, answering 400 for
// unknown, read-only or mistyped ones. passwordProfile is accepted and
// dropped: the simulator never stores passwords.
func applyUserBody(w http.ResponseWriter, r *http.Request, body map[string]json.RawMessage, u *User) bool {
	fields := userFields(u)
	for k, raw := range body {
		if strings.HasPrefix(k, "@odata.") {
			continue
		}
		if k == "passwordProfile" {
			// Checked, never stored: the simulator keeps no passwords.
			if !checkPasswordProfile(w, r, raw) {
				return false
			}
			continue
		}
		if kind, ok := userStoredProps[k]; ok {
			v, valid := decodeUserProp(raw, kind)
			if !valid {
				writeError(w, r, http.StatusBadRequest, "Request_BadRequest", fmt.Sprintf("Invalid value specified for property '%s' of resource 'User'.", k))
				return false
			}
			props := make(map[string]any, len(u.props)+1)
			for pk, pv := range u.props {
				props[pk] = pv
			}
			props[k] = v
			u.props = props
			continue
		}
		if dst, ok := fields[k]; ok {
			var v *string
			if err := json.Unmarshal(raw, &v); err != nil {
				writeError(w, r, http.StatusBadRequest, "Request_BadRequest", fmt.Sprintf("Invalid value specified for property '%s' of resource 'User'.", k))
				return false
			}
			*dst = ""
			if v != nil {
				*dst = *v
			}
			continue
		}
		switch k {
		case "accountEnabled":
			// null would decode as a silent no-op; the property is not nullable.
			if err := json.Unmarshal(raw, &u.AccountEnabled); err != nil || strings.TrimSpace(string(raw)) == "null" {
				writeError(w, r, http.StatusBadRequest, "Request_BadRequest", "Invalid value specified for property 'accountEnabled' of resource 'User'.")
				return false
			}
		case "businessPhones":
			var phones []string
			if err := json.Unmarshal(raw, &phones); err != nil || len(phones) > 1 {
				writeError(w, r, http.StatusBadRequest, "Request_BadRequest", "Invalid value specified for property 'businessPhones' of resource 'User' (at most one number).")
				return false
			}
			u.TelephoneNumber = ""
			if len(phones) == 1 {
				u.TelephoneNumber = phones[0]
			}
		case "id", "createdDateTime", "deletedDateTime", "userType":
			writeError(w, r, http.StatusBadRequest, "Request_BadRequest", fmt.Sprintf("Property '%s' is read-only and cannot be set.", k))
			return false
		default:
			writeError(w, r, http.StatusBadRequest, "Request_BadRequest", fmt.Sprintf("Property '%s' does not exist as a declared property or extension property.", k))
			return false
		}
	}
	return true
}

// checkPasswordProfile validates a passwordProfile as Entra does: a known
// shape, and a password of 8 to 256 characters from at least three of
// lower case, upper case, digits and symbols.
func checkPasswordProfile(w http.ResponseWriter, r *http.Request, raw json.RawMessage) bool {
	var p *struct {
		Password                             *string `json:"password"`
		ForceChangePasswordNextSignIn        *bool   `json:"forceChangePasswordNextSignIn"`
		ForceChangePasswordNextSignInWithMfa *bool   `json:"forceChangePasswordNextSignInWithMfa"`
	}
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.DisallowUnknownFields()
	if dec.Decode(&p) != nil {
		writeError(w, r, http.StatusBadRequest, "Request_BadRequest", "Invalid value specified for property 'passwordProfile' of resource 'User'.")
		return false
	}
	if p == nil || p.Password == nil {
		return true
	}
	classes := 0
	for _, in := range []func(rune) bool{unicode.IsLower, unicode.IsUpper, unicode.IsDigit, func(c rune) bool { return !unicode.IsLetter(c) && !unicode.IsDigit(c) }} {
		if strings.IndexFunc(*p.Password, in) >= 0 {
			classes++
		}
	}
	if n := len([]rune(*p.Password)); n < 8 || n > 256 || classes < 3 {
		writeError(w, r, http.StatusBadRequest, "Request_BadRequest", "The specified password does not comply with password complexity requirements. Please provide a different password.")
		return false
	}
	return true
}

// userStoredProps are user properties the simulator stores as sent (they
// mean nothing to provisioning) with the JSON kind Graph's metadata gives
// them.
var userStoredProps = map[string]string{
	"ageGroup": "string", "consentProvidedForMinor": "string", "employeeType": "string",
	"employeeHireDate": "datetime", "employeeOrgData": "employeeOrgData", "otherMails": "strings",
	"passwordPolicies": "string", "usageLocation": "string", "showInAddressList": "bool",
	"onPremisesImmutableId": "string",
}

// decodeUserProp decodes a stored user property of the given kind; null is
// allowed (collections become []).
func decodeUserProp(raw json.RawMessage, kind string) (any, bool) {
	switch kind {
	case "datetime":
		var v *string
		if json.Unmarshal(raw, &v) != nil {
			return nil, false
		}
		if v == nil {
			return nil, true
		}
		t, err := time.Parse(time.RFC3339, *v)
		if err != nil {
			return nil, false
		}
		return t.UTC().Format("2006-01-02T15:04:05Z"), true
	case "employeeOrgData":
		var v *struct {
			Division   *string `json:"division"`
			CostCenter *string `json:"costCenter"`
		}
		dec := json.NewDecoder(bytes.NewReader(raw))
		dec.DisallowUnknownFields()
		if dec.Decode(&v) != nil {
			return nil, false
		}
		if v == nil {
			return nil, true
		}
		return map[string]any{"division": v.Division, "costCenter": v.CostCenter}, true
	default:
		return decodeKind(raw, kind)
	}
}

func (s *Sim) handleCreateUser(w http.ResponseWriter, r *http.Request) {
	var body map[string]json.RawMessage
	if !decodeBody(w, r, &body) {
		return
	}
	for _, req := range []string{"accountEnabled", "displayName", "mailNickname", "userPrincipalName", "passwordProfile"} {
		if v, ok := body[req]; !ok || string(v) == "null" {
			writeError(w, r, http.StatusBadRequest, "Request_BadRequest", fmt.Sprintf("Invalid value specified for property '%s' of resource 'User': it is required.", req))
			return
		}
	}
	u := &User{ID: uuid.NewString()}
	if !applyUserBody(w, r, body, u) {
		return
	}
	if !strings.Contains(u.UserPrincipalName, "@") || strings.TrimSpace(u.DisplayName) == "" {
		writeError(w, r, http.StatusBadRequest, "Request_BadRequest", "Invalid value specified for property 'userPrincipalName' or 'displayName' of resource 'User': the UPN must look like alias@domain and the display name cannot be empty.")
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.dir.userByUPN[strings.ToLower(u.UserPrincipalName)] != nil {
		writeError(w, r, http.StatusBadRequest, "Request_BadRequest", "Another object with the same value for property userPrincipalName already exists.")
		return
	}
	s.dir.users = append(s.dir.users, u)
	s.dir.userByID[u.ID] = u
	s.dir.userByUPN[strings.ToLower(u.UserPrincipalName)] = u
	obj := userJSON(u)
	obj["@odata.context"] = metadataURL(r) + "users/$entity"
	writeJSON(w, http.StatusCreated, obj)
}

func (s *Sim) handlePatchUser(w http.ResponseWriter, r *http.Request) {
	var body map[string]json.RawMessage
	if !decodeBody(w, r, &body) {
		return
	}
	if body == nil {
		writeError(w, r, http.StatusBadRequest, "BadRequest", "The PATCH body must be a JSON object.")
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	u := s.userByKey(w, r, r.PathValue("id"))
	if u == nil {
		return
	}
	updated := *u // apply to a copy so a rejected body changes nothing
	if !applyUserBody(w, r, body, &updated) {
		return
	}
	if !strings.Contains(updated.UserPrincipalName, "@") || strings.TrimSpace(updated.DisplayName) == "" {
		writeError(w, r, http.StatusBadRequest, "Request_BadRequest", "userPrincipalName and displayName cannot be empty.")
		return
	}
	oldUPN, newUPN := strings.ToLower(u.UserPrincipalName), strings.ToLower(updated.UserPrincipalName)
	if oldUPN != newUPN {
		if s.dir.userByUPN[newUPN] != nil {
			writeError(w, r, http.StatusBadRequest, "Request_BadRequest", "Another object with the same value for property userPrincipalName already exists.")
			return
		}
		delete(s.dir.userByUPN, oldUPN)
		s.dir.userByUPN[newUPN] = u
	}
	*u = updated
	w.WriteHeader(http.StatusNoContent)
}

// handleDeleteUser soft-deletes a user: hidden from /users, listed in
// deleted items, and IsSoftDeleted for provisioning.
func (s *Sim) handleDeleteUser(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	defer s.mu.Unlock()
	u := s.userByKey(w, r, r.PathValue("id"))
	if u == nil {
		return
	}
	u.SoftDeleted = true
	s.addDeleted(u.ID, &deletedItem{user: u, deletedAt: s.clock.Now()})
	w.WriteHeader(http.StatusNoContent)
}

// purgeUser removes a user for good: from the directory, groups, manager
// links and app role assignments. Caller holds s.mu.
func (s *Sim) purgeUser(u *User) {
	delete(s.dir.userByID, u.ID)
	if s.dir.userByUPN[strings.ToLower(u.UserPrincipalName)] == u {
		delete(s.dir.userByUPN, strings.ToLower(u.UserPrincipalName))
	}
	for i, x := range s.dir.users {
		if x == u {
			s.dir.users = append(s.dir.users[:i:i], s.dir.users[i+1:]...)
			break
		}
	}
	for _, g := range s.dir.groups {
		g.MemberIDs = removeID(g.MemberIDs, u.ID)
	}
	for _, other := range s.dir.users {
		if other.ManagerID == u.ID {
			other.ManagerID = ""
		}
	}
	for spID, list := range s.dir.assignments {
		kept := list[:0:0]
		for _, a := range list {
			if a.PrincipalID == u.ID {
				delete(s.dir.assignmentIDs, a.ID)
				continue
			}
			kept = append(kept, a)
		}
		s.dir.assignments[spID] = kept
	}
}

// refTarget extracts the object id from an {"@odata.id": ".../users/{id}"}
// or ".../directoryObjects/{id}" reference body.
func refTarget(w http.ResponseWriter, r *http.Request) (string, bool) {
	var body struct {
		ODataID string `json:"@odata.id"`
	}
	if !decodeBody(w, r, &body) {
		return "", false
	}
	id := lastSegment(body.ODataID)
	if _, err := uuid.Parse(id); err != nil || len(id) != 36 {
		writeError(w, r, http.StatusBadRequest, "Request_BadRequest", fmt.Sprintf("Invalid object identifier '%s' in @odata.id; use https://graph.microsoft.com/v1.0/directoryObjects/{id}.", body.ODataID))
		return "", false
	}
	return strings.ToLower(id), true
}

func (s *Sim) handleSetManager(w http.ResponseWriter, r *http.Request) {
	managerID, ok := refTarget(w, r)
	if !ok {
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	u := s.userByKey(w, r, r.PathValue("id"))
	if u == nil {
		return
	}
	m := s.dir.userByID[managerID]
	if m == nil || m.SoftDeleted || m == u {
		writeError(w, r, http.StatusBadRequest, "Request_BadRequest", fmt.Sprintf("Invalid value specified for the manager reference: no other user '%s' exists.", managerID))
		return
	}
	u.ManagerID = m.ID
	w.WriteHeader(http.StatusNoContent)
}

func (s *Sim) handleRemoveManager(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	defer s.mu.Unlock()
	u := s.userByKey(w, r, r.PathValue("id"))
	if u == nil {
		return
	}
	if u.ManagerID == "" {
		writeNotFound(w, r, "manager")
		return
	}
	u.ManagerID = ""
	w.WriteHeader(http.StatusNoContent)
}

func (s *Sim) handleAddMember(w http.ResponseWriter, r *http.Request) {
	memberID, ok := refTarget(w, r)
	if !ok {
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	g := s.groupByPath(w, r)
	if g == nil {
		return
	}
	if k := s.directoryObjectKind(memberID); k == "" || memberID == g.ID {
		writeNotFound(w, r, memberID)
		return
	}
	for _, id := range g.MemberIDs {
		if id == memberID {
			writeError(w, r, http.StatusBadRequest, "Request_BadRequest", "One or more added object references already exist for the following modified properties: 'members'.")
			return
		}
	}
	g.MemberIDs = append(g.MemberIDs, memberID)
	w.WriteHeader(http.StatusNoContent)
}

func (s *Sim) handleRemoveMember(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	defer s.mu.Unlock()
	g := s.groupByPath(w, r)
	if g == nil {
		return
	}
	memberID := strings.ToLower(r.PathValue("memberId"))
	before := len(g.MemberIDs)
	g.MemberIDs = removeID(g.MemberIDs, memberID)
	if len(g.MemberIDs) == before {
		writeNotFound(w, r, memberID)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}
