package graphsim

import (
	"encoding/json"
	"fmt"
	"net/http"
	"slices"
	"strings"

	"github.com/google/uuid"
)

// Group writes as the AzureAD provider and the Graph docs (group-post-groups,
// group-update, group-delete, group-post-members, group-post-owners) use
// them, for security groups and Microsoft 365 groups without dynamic rules
// (rule evaluation is out of scope: a membershipRule is refused).

// groupStoredProps are the group properties stored as sent and echoed by
// GET, with the JSON kind each must have.
var groupStoredProps = map[string]string{
	"visibility": "string", "isAssignableToRole": "bool", "classification": "string",
	"preferredLanguage": "string", "theme": "string",
	"resourceBehaviorOptions": "strings", "resourceProvisioningOptions": "strings",
}

// groupVisibilities are Graph's values for group.visibility.
var groupVisibilities = []string{"Private", "Public", "HiddenMembership"}

// groupSecurityIdentifier derives a stable S-1-12-1-… security identifier
// from the object id, as Entra does for cloud groups.
func groupSecurityIdentifier(id string) string {
	u, err := uuid.Parse(id)
	if err != nil {
		return ""
	}
	b := u[:]
	part := func(i int) uint32 { return uint32(b[i]) | uint32(b[i+1])<<8 | uint32(b[i+2])<<16 | uint32(b[i+3])<<24 }
	return fmt.Sprintf("S-1-12-1-%d-%d-%d-%d", part(0), part(4), part(8), part(12))
}

// groupBody is a decoded POST/PATCH /groups body.
type groupBody map[string]json.RawMessage

func badGroupValue(w http.ResponseWriter, r *http.Request, prop string) {
	writeError(w, r, http.StatusBadRequest, "Request_BadRequest", fmt.Sprintf("Invalid value specified for property '%s' of resource 'Group'.", prop))
}

// applyGroupBody sets the properties of body on g (a copy the caller
// discards on failure). Bind annotations are returned for the caller to
// resolve; unknown and read-only properties are 400s.
func applyGroupBody(w http.ResponseWriter, r *http.Request, body groupBody, g *Group) (binds map[string][]string, ok bool) {
	binds = map[string][]string{}
	if g.props == nil {
		g.props = map[string]any{}
	}
	for k, raw := range body {
		null := strings.TrimSpace(string(raw)) == "null"
		switch k {
		case "displayName", "description", "mailNickname":
			var v *string
			if json.Unmarshal(raw, &v) != nil || (k != "description" && (v == nil || strings.TrimSpace(*v) == "")) {
				badGroupValue(w, r, k)
				return nil, false
			}
			dst := map[string]*string{"displayName": &g.DisplayName, "description": &g.Description, "mailNickname": &g.MailNickname}[k]
			*dst = ""
			if v != nil {
				*dst = *v
			}
			if k == "mailNickname" && strings.ContainsAny(*dst, "@()\\[]\";:<>, ") {
				badGroupValue(w, r, k)
				return nil, false
			}
		case "mailEnabled", "securityEnabled":
			var v bool
			if null || json.Unmarshal(raw, &v) != nil {
				badGroupValue(w, r, k)
				return nil, false
			}
			if k == "mailEnabled" {
				g.MailEnabled = v
			} else {
				g.SecurityEnabled = v
			}
		case "groupTypes":
			var v []string
			if null || json.Unmarshal(raw, &v) != nil {
				badGroupValue(w, r, k)
				return nil, false
			}
			for _, t := range v {
				switch t {
				case "Unified":
				case "DynamicMembership":
					writeError(w, r, http.StatusBadRequest, "Request_BadRequest", "Dynamic membership groups are not simulated (graphsim does not evaluate membership rules); create an assigned group and add members through members/$ref.")
					return nil, false
				default:
					badGroupValue(w, r, k)
					return nil, false
				}
			}
			g.GroupTypes = v
		case "membershipRule", "membershipRuleProcessingState":
			var v *string
			if json.Unmarshal(raw, &v) != nil {
				badGroupValue(w, r, k)
				return nil, false
			}
			if v != nil && *v != "" {
				writeError(w, r, http.StatusBadRequest, "Request_BadRequest", "Dynamic membership rules are not simulated (graphsim does not evaluate them); leave '"+k+"' unset.")
				return nil, false
			}
		case "owners@odata.bind", "members@odata.bind":
			var refs []string
			if json.Unmarshal(raw, &refs) != nil {
				badGroupValue(w, r, k)
				return nil, false
			}
			for _, ref := range refs {
				id := strings.ToLower(lastSegment(ref))
				if _, err := uuid.Parse(id); err != nil || len(id) != 36 {
					writeError(w, r, http.StatusBadRequest, "Request_BadRequest", fmt.Sprintf("Invalid object identifier '%s'.", ref))
					return nil, false
				}
				binds[strings.TrimSuffix(k, "@odata.bind")] = append(binds[strings.TrimSuffix(k, "@odata.bind")], id)
			}
		case "id", "createdDateTime", "deletedDateTime", "mail", "securityIdentifier", "proxyAddresses", "renewedDateTime", "onPremisesSyncEnabled":
			writeError(w, r, http.StatusBadRequest, "Request_BadRequest", fmt.Sprintf("Property '%s' is read-only and cannot be set.", k))
			return nil, false
		default:
			if strings.HasPrefix(k, "@odata.") {
				continue
			}
			kind, known := groupStoredProps[k]
			if !known {
				writeError(w, r, http.StatusBadRequest, "Request_BadRequest", fmt.Sprintf("Property '%s' does not exist as a declared property or extension property.", k))
				return nil, false
			}
			v, ok := decodeKind(raw, kind)
			if !ok || (k == "visibility" && v != nil && !slices.Contains(groupVisibilities, v.(string))) {
				badGroupValue(w, r, k)
				return nil, false
			}
			g.props[k] = v
		}
	}
	return binds, true
}

// decodeKind decodes raw as kind ("string", "bool", "strings"); null is
// accepted (nil) for the scalar kinds and means [] for collections.
func decodeKind(raw json.RawMessage, kind string) (any, bool) {
	if strings.TrimSpace(string(raw)) == "null" {
		if kind == "strings" {
			return []string{}, true
		}
		return nil, true
	}
	switch kind {
	case "string":
		var v string
		return v, json.Unmarshal(raw, &v) == nil
	case "bool":
		var v bool
		return v, json.Unmarshal(raw, &v) == nil
	default:
		var v []string
		return v, json.Unmarshal(raw, &v) == nil
	}
}

// checkGroupKind enforces the combinations Graph accepts: a group is a
// security group, a Microsoft 365 group (Unified, mail-enabled) or both;
// mail-enabled security groups cannot be created through Graph.
func checkGroupKind(w http.ResponseWriter, r *http.Request, g *Group) bool {
	unified := slices.Contains(g.GroupTypes, "Unified")
	switch {
	case unified && !g.MailEnabled:
		writeError(w, r, http.StatusBadRequest, "Request_BadRequest", "A Microsoft 365 group (groupTypes Unified) must have mailEnabled set to true.")
	case !unified && g.MailEnabled:
		writeError(w, r, http.StatusBadRequest, "Request_BadRequest", "Only Microsoft 365 groups can be mail-enabled through Microsoft Graph; set mailEnabled to false for a security group or add 'Unified' to groupTypes.")
	case !unified && !g.SecurityEnabled:
		writeError(w, r, http.StatusBadRequest, "Request_BadRequest", "A group that is not a Microsoft 365 group must be securityEnabled.")
	default:
		return true
	}
	return false
}

// directoryObjectKind reports what a directory object id names: "user",
// "group", "servicePrincipal" or "" (unknown). The seeded clients' service
// principals count: they own what they create. Caller holds s.mu.
func (s *Sim) directoryObjectKind(id string) string {
	id = strings.ToLower(id)
	if u := s.dir.userByID[id]; u != nil && !u.SoftDeleted {
		return "user"
	}
	if s.dir.groupByID[id] != nil {
		return "group"
	}
	if s.dir.sps[id] != nil || s.clientByObjectID(id) != nil {
		return "servicePrincipal"
	}
	return ""
}

// clientByObjectID finds a seeded client by its service principal's id.
func (s *Sim) clientByObjectID(id string) *oauthClient {
	for _, c := range s.clients {
		if strings.EqualFold(c.ObjectID, id) {
			return c
		}
	}
	return nil
}

// directoryObjectJSON renders any directory object with its @odata.type
// (nil when unknown). Caller holds s.mu.
func (s *Sim) directoryObjectJSON(id string) map[string]any {
	id = strings.ToLower(id)
	var m map[string]any
	switch s.directoryObjectKind(id) {
	case "user":
		m = userJSON(s.dir.userByID[id])
		m["@odata.type"] = "#microsoft.graph.user"
	case "group":
		m = groupJSON(s.dir.groupByID[id])
		m["@odata.type"] = "#microsoft.graph.group"
	case "servicePrincipal":
		if sp := s.dir.sps[id]; sp != nil {
			m = s.servicePrincipalJSON(sp)
		} else {
			c := s.clientByObjectID(id)
			m = map[string]any{"id": c.ObjectID, "appId": c.ID, "displayName": c.DisplayName,
				"servicePrincipalType": "Application", "accountEnabled": true, "appRoles": []any{}, "tags": []string{}}
		}
		m["@odata.type"] = "#microsoft.graph.servicePrincipal"
	}
	return m
}

func (s *Sim) handleCreateGroup(w http.ResponseWriter, r *http.Request) {
	var body groupBody
	if !decodeBody(w, r, &body) {
		return
	}
	for _, req := range []string{"displayName", "mailEnabled", "mailNickname", "securityEnabled"} {
		if v, ok := body[req]; !ok || strings.TrimSpace(string(v)) == "null" {
			writeError(w, r, http.StatusBadRequest, "Request_BadRequest", fmt.Sprintf("Invalid value specified for property '%s' of resource 'Group': it is required.", req))
			return
		}
	}
	g := &Group{ID: uuid.NewString()}
	binds, ok := applyGroupBody(w, r, body, g)
	if !ok || !checkGroupKind(w, r, g) {
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	for kind, ids := range binds {
		for _, id := range ids {
			if s.directoryObjectKind(id) == "" {
				writeError(w, r, http.StatusBadRequest, "Request_BadRequest", fmt.Sprintf("Resource '%s' does not exist or one of its queried reference-property objects are not present.", id))
				return
			}
			if kind == "owners" {
				g.OwnerIDs = addID(g.OwnerIDs, id)
			} else {
				g.MemberIDs = addID(g.MemberIDs, id)
			}
		}
	}
	// Graph makes an app-only caller the owner when none is named.
	if c := callerFrom(r); c != nil && len(g.OwnerIDs) == 0 {
		g.OwnerIDs = []string{strings.ToLower(c.ObjectID)}
	}
	if slices.Contains(g.GroupTypes, "Unified") {
		g.Mail = g.MailNickname + "@contoso.com"
	}
	g.CreatedAt = s.clock.Now()
	s.dir.groups = append(s.dir.groups, g)
	s.dir.groupByID[g.ID] = g
	obj := groupJSON(g)
	obj["@odata.context"] = s.ready.GraphEndpoint + graphPrefix + "/$metadata#groups/$entity"
	writeJSON(w, http.StatusCreated, obj)
}

func addID(ids []string, id string) []string {
	if slices.Contains(ids, id) {
		return ids
	}
	return append(ids, id)
}

func (s *Sim) handlePatchGroup(w http.ResponseWriter, r *http.Request) {
	var body groupBody
	if !decodeBody(w, r, &body) {
		return
	}
	if body == nil {
		writeError(w, r, http.StatusBadRequest, "BadRequest", "The PATCH body must be a JSON object.")
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	g := s.groupByPath(w, r)
	if g == nil {
		return
	}
	updated := *g
	updated.props = make(map[string]any, len(g.props))
	for k, v := range g.props {
		updated.props[k] = v
	}
	updated.GroupTypes = slices.Clone(g.GroupTypes)
	binds, ok := applyGroupBody(w, r, body, &updated)
	if !ok {
		return
	}
	if len(binds) > 0 {
		writeError(w, r, http.StatusBadRequest, "Request_BadRequest", "Owners and members cannot be bound in a PATCH; use POST /groups/{id}/owners/$ref or members/$ref.")
		return
	}
	if !checkGroupKind(w, r, &updated) {
		return
	}
	*g = updated
	w.WriteHeader(http.StatusNoContent)
}

// handleDeleteGroup deletes a group for good (Graph soft-deletes only
// Microsoft 365 groups; the simulator purges both, ⚠ a restore of a deleted
// Microsoft 365 group is not simulated), with its memberships and
// assignments.
func (s *Sim) handleDeleteGroup(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	defer s.mu.Unlock()
	g := s.groupByPath(w, r)
	if g == nil {
		return
	}
	delete(s.dir.groupByID, g.ID)
	s.dir.groups = slices.DeleteFunc(s.dir.groups, func(x *Group) bool { return x == g })
	for _, other := range s.dir.groups {
		other.MemberIDs = removeID(other.MemberIDs, g.ID)
	}
	for spID, list := range s.dir.assignments {
		s.dir.assignments[spID] = slices.DeleteFunc(list, func(a *AppRoleAssignment) bool {
			if a.PrincipalID == g.ID {
				delete(s.dir.assignmentIDs, a.ID)
				return true
			}
			return false
		})
	}
	w.WriteHeader(http.StatusNoContent)
}

// handleListGroupObjects lists a group's members or owners as directory
// objects (users, groups, service principals).
func (s *Sim) handleListGroupObjects(owners bool) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		s.mu.Lock()
		g := s.groupByPath(w, r)
		if g == nil {
			s.mu.Unlock()
			return
		}
		ids := g.MemberIDs
		if owners {
			ids = g.OwnerIDs
		}
		items := make([]map[string]any, 0, len(ids))
		for _, id := range ids {
			if m := s.directoryObjectJSON(id); m != nil {
				items = append(items, m)
			}
		}
		s.mu.Unlock()
		s.writeList(w, r, directoryObjectSpec, items)
	}
}

// handleListMemberOf lists the groups a group is a direct member of.
func (s *Sim) handleListMemberOf(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	g := s.groupByPath(w, r)
	if g == nil {
		s.mu.Unlock()
		return
	}
	items := []map[string]any{}
	for _, other := range s.dir.groups {
		if slices.Contains(other.MemberIDs, g.ID) {
			m := groupJSON(other)
			m["@odata.type"] = "#microsoft.graph.group"
			items = append(items, m)
		}
	}
	s.mu.Unlock()
	s.writeList(w, r, directoryObjectSpec, items)
}

// directoryObjectSpec lists directory objects of mixed types; $select and
// $filter see the union of their properties.
var directoryObjectSpec = listSpec{
	context:    "directoryObjects",
	resource:   "directoryObject",
	defaultTop: 100,
	maxTop:     999,
}

func (s *Sim) handleAddOwner(w http.ResponseWriter, r *http.Request) {
	ownerID, ok := refTarget(w, r)
	if !ok {
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	g := s.groupByPath(w, r)
	if g == nil {
		return
	}
	if k := s.directoryObjectKind(ownerID); k != "user" && k != "servicePrincipal" {
		writeNotFound(w, r, ownerID)
		return
	}
	if slices.Contains(g.OwnerIDs, ownerID) {
		writeError(w, r, http.StatusBadRequest, "Request_BadRequest", "One or more added object references already exist for the following modified properties: 'owners'.")
		return
	}
	g.OwnerIDs = append(g.OwnerIDs, ownerID)
	w.WriteHeader(http.StatusNoContent)
}

func (s *Sim) handleRemoveOwner(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	defer s.mu.Unlock()
	g := s.groupByPath(w, r)
	if g == nil {
		return
	}
	ownerID := strings.ToLower(r.PathValue("ownerId"))
	if !slices.Contains(g.OwnerIDs, ownerID) {
		writeNotFound(w, r, ownerID)
		return
	}
	g.OwnerIDs = removeID(g.OwnerIDs, ownerID)
	w.WriteHeader(http.StatusNoContent)
}

// handleGetDirectoryObject is GET /directoryObjects/{id}: any user, group or
// service principal with its @odata.type.
func (s *Sim) handleGetDirectoryObject(w http.ResponseWriter, r *http.Request) {
	id := r.PathValue("id")
	if !validObjectID(w, r, id) {
		return
	}
	s.mu.Lock()
	m := s.directoryObjectJSON(id)
	s.mu.Unlock()
	if m == nil {
		writeNotFound(w, r, id)
		return
	}
	s.writeObject(w, r, directoryObjectSpec, http.StatusOK, m)
}
