package graphsim

// syncState holds synchronization jobs, secrets, schemas, the engine's
// bookkeeping and provisioning logs. Owned by the synchronization half.
type syncState struct{}
