package webapi

import "github.com/jsload/jsload/bindings"

// SetBuildHook makes f see every web global built, with the runtime's host.
func SetBuildHook(f func(h bindings.Host, name string)) { buildHook.Store(&f) }
