package check

// TEMPORARY: see EnforceSources.
func init() { EnforceSources = true }
