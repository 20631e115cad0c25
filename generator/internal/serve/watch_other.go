//go:build !linux

package serve

// watchTrees cannot watch here: the server polls.
func watchTrees(string, []string, chan<- struct{}, <-chan struct{}) bool { return false }
