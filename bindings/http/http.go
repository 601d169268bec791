// Package http binds the `jsload/http` module (SPEC §2.7).
package http

import (
	"github.com/dop251/goja"

	"github.com/jsload/jsload/bindings"
)

// Module builds the exports of `jsload/http` for the runtime of h.
func Module(h bindings.Host) *goja.Object {
	return h.Goja().NewObject()
}
