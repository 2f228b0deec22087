package graph

import (
	"net/http"
	"strings"
)

// Least-privileged Graph application permissions per route: the one table
// of them in this project. A 403 carries the entry of its route
// (Error.Permission), so the user is told exactly what to grant.
const (
	permAppWrite        = "Application.ReadWrite.OwnedBy (or Application.ReadWrite.All)"
	permAppRead         = "Application.Read.All (or Application.ReadWrite.OwnedBy)"
	permSyncRead        = "Synchronization.Read.All (or Application.ReadWrite.OwnedBy)"
	permSyncWrite       = "Synchronization.ReadWrite.All (or Application.ReadWrite.OwnedBy)"
	permAssignmentWrite = "AppRoleAssignment.ReadWrite.All and Application.Read.All"
	permAssignmentDel   = "AppRoleAssignment.ReadWrite.All"
	permBulkUpload      = "SynchronizationData-User.Upload (or SynchronizationData-User.Upload.OwnedBy)"
	permAuditLogs       = "AuditLog.Read.All and Directory.Read.All"
	permUsersRead       = "User.Read.All (or Directory.Read.All)"
	permGroupsRead      = "Group.Read.All (or Directory.Read.All)"
)

// RequiredPermission names the Graph application permission a call needs,
// or "" when none beyond a valid token is needed or the route is unknown.
func RequiredPermission(method, path string) string {
	route := normalisePath(path)
	method = strings.ToUpper(method)
	read := method == http.MethodGet || method == http.MethodHead
	switch {
	case strings.HasPrefix(route, "/auditLogs/provisioning"):
		return permAuditLogs
	case strings.HasPrefix(route, "/applicationTemplates"):
		if strings.HasSuffix(route, "/instantiate") {
			return permAppWrite
		}
		return "" // listing templates needs only a valid token
	case strings.Contains(route, "/synchronization/jobs/{id}/bulkUpload"):
		return permBulkUpload
	case strings.Contains(route, "/synchronization"):
		if read {
			return permSyncRead
		}
		return permSyncWrite
	case strings.Contains(route, "/appRoleAssignedTo"):
		switch method {
		case http.MethodPost:
			return permAssignmentWrite
		case http.MethodDelete:
			return permAssignmentDel
		}
		return permAppRead
	case strings.HasPrefix(route, "/servicePrincipals"), strings.HasPrefix(route, "/applications"):
		if read {
			return permAppRead
		}
		return permAppWrite
	case strings.HasPrefix(route, "/users"):
		return permUsersRead
	case strings.HasPrefix(route, "/groups"):
		return permGroupsRead
	}
	return ""
}
