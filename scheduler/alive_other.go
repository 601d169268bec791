//go:build !unix

package scheduler

// processAlive cannot tell here, so it says alive: stale folders are left.
func processAlive(int) bool { return true }
