package graphsim

// directoryState holds applications, service principals, templates, users,
// groups, assignments and deleted items. Owned by the directory half.
type directoryState struct{}
