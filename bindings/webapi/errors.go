package webapi

import (
	"fmt"
	"strings"

	"github.com/dop251/goja"
)

// domCodes are the legacy codes of the DOMException names that have one (WebIDL);
// every other name has code 0.
var domCodes = map[string]int{
	"IndexSizeError": 1, "HierarchyRequestError": 3, "WrongDocumentError": 4,
	"InvalidCharacterError": 5, "NoModificationAllowedError": 7, "NotFoundError": 8,
	"NotSupportedError": 9, "InvalidStateError": 11, "SyntaxError": 12,
	"InvalidModificationError": 13, "NamespaceError": 14, "InvalidAccessError": 15,
	"TypeMismatchError": 17, "SecurityError": 18, "NetworkError": 19, "AbortError": 20,
	"URLMismatchError": 21, "QuotaExceededError": 22, "TimeoutError": 23,
	"InvalidNodeTypeError": 24, "DataCloneError": 25,
}

// domConstants are DOMException's static constants, by code.
var domConstants = []struct {
	name string
	code int
}{
	{"INDEX_SIZE_ERR", 1}, {"DOMSTRING_SIZE_ERR", 2}, {"HIERARCHY_REQUEST_ERR", 3},
	{"WRONG_DOCUMENT_ERR", 4}, {"INVALID_CHARACTER_ERR", 5}, {"NO_DATA_ALLOWED_ERR", 6},
	{"NO_MODIFICATION_ALLOWED_ERR", 7}, {"NOT_FOUND_ERR", 8}, {"NOT_SUPPORTED_ERR", 9},
	{"INUSE_ATTRIBUTE_ERR", 10}, {"INVALID_STATE_ERR", 11}, {"SYNTAX_ERR", 12},
	{"INVALID_MODIFICATION_ERR", 13}, {"NAMESPACE_ERR", 14}, {"INVALID_ACCESS_ERR", 15},
	{"VALIDATION_ERR", 16}, {"TYPE_MISMATCH_ERR", 17}, {"SECURITY_ERR", 18},
	{"NETWORK_ERR", 19}, {"ABORT_ERR", 20}, {"URL_MISMATCH_ERR", 21},
	{"QUOTA_EXCEEDED_ERR", 22}, {"TIMEOUT_ERR", 23}, {"INVALID_NODE_TYPE_ERR", 24},
	{"DATA_CLONE_ERR", 25},
}

type domException struct {
	ctor, proto *goja.Object
}

// domException builds the DOMException class: instances are Error objects (with a
// stack) whose prototype is DOMException.prototype, itself inheriting from
// Error.prototype, as WebIDL says.
func (r *Realm) domException() *domException {
	if r.dom != nil {
		return r.dom
	}
	rt := r.rt
	d := &domException{}
	d.ctor = rt.ToValue(func(call goja.ConstructorCall) *goja.Object {
		msg, name := "", "Error"
		if a := call.Argument(0); !goja.IsUndefined(a) {
			msg = a.String()
		}
		if a := call.Argument(1); !goja.IsUndefined(a) {
			name = a.String()
		}
		return r.newDOMException(call.This.Prototype(), name, msg)
	}).(*goja.Object)
	_ = d.ctor.DefineDataProperty("name", rt.ToValue("DOMException"), goja.FLAG_FALSE, goja.FLAG_FALSE, goja.FLAG_TRUE)
	d.proto = d.ctor.Get("prototype").(*goja.Object)
	errProto := rt.Get("Error").(*goja.Object).Get("prototype").(*goja.Object)
	_ = d.proto.SetPrototype(errProto)
	_ = d.proto.DefineDataProperty("name", rt.ToValue("Error"), goja.FLAG_TRUE, goja.FLAG_TRUE, goja.FLAG_FALSE)
	_ = d.proto.DefineDataProperty("message", rt.ToValue(""), goja.FLAG_TRUE, goja.FLAG_TRUE, goja.FLAG_FALSE)
	_ = d.proto.DefineAccessorProperty("code", rt.ToValue(func(call goja.FunctionCall) goja.Value {
		obj, ok := call.This.(*goja.Object)
		if !ok {
			return rt.ToValue(0)
		}
		return rt.ToValue(domCodes[obj.Get("name").String()])
	}), nil, goja.FLAG_TRUE, goja.FLAG_FALSE)
	_ = d.proto.DefineDataPropertySymbol(goja.SymToStringTag, rt.ToValue("DOMException"), goja.FLAG_FALSE, goja.FLAG_FALSE, goja.FLAG_TRUE)
	for _, c := range domConstants {
		_ = d.ctor.DefineDataProperty(c.name, rt.ToValue(c.code), goja.FLAG_FALSE, goja.FLAG_FALSE, goja.FLAG_TRUE)
		_ = d.proto.DefineDataProperty(c.name, rt.ToValue(c.code), goja.FLAG_FALSE, goja.FLAG_FALSE, goja.FLAG_TRUE)
	}
	r.dom = d
	return d
}

func (r *Realm) newDOMException(proto *goja.Object, name, msg string) *goja.Object {
	rt := r.rt
	e, err := rt.New(rt.Get("Error"), rt.ToValue(msg))
	if err != nil {
		panic(err)
	}
	_ = e.SetPrototype(proto)
	_ = e.DefineDataProperty("name", rt.ToValue(name), goja.FLAG_TRUE, goja.FLAG_TRUE, goja.FLAG_FALSE)
	dropNativeFrames(r.rt, e)
	return e
}

// DOMException returns a new DOMException named name (e.g. "DataError") with the
// message msg, to throw or to reject a promise with.
func (r *Realm) DOMException(name, msg string) *goja.Object {
	return r.newDOMException(r.domException().proto, name, msg)
}

// ThrowDOMException throws a DOMException from inside a binding called from JS.
func (r *Realm) ThrowDOMException(name, format string, args ...any) {
	panic(r.DOMException(name, fmt.Sprintf(format, args...)))
}

// TypeError returns a new TypeError whose stack starts at the script's frame.
func (r *Realm) TypeError(format string, args ...any) *goja.Object {
	e := r.rt.NewTypeError("%s", fmt.Sprintf(format, args...))
	dropNativeFrames(r.rt, e)
	return e
}

// ThrowTypeError throws a TypeError from inside a binding called from JS.
func (r *Realm) ThrowTypeError(format string, args ...any) { panic(r.TypeError(format, args...)) }

// ThrowRangeError throws a RangeError from inside a binding called from JS.
func (r *Realm) ThrowRangeError(format string, args ...any) {
	rt := r.rt
	e, err := rt.New(rt.Get("RangeError"), rt.ToValue(fmt.Sprintf(format, args...)))
	if err != nil {
		panic(err)
	}
	dropNativeFrames(r.rt, e)
	panic(e)
}

// dropNativeFrames removes the Go functions' frames from an error's stack, so its
// first frame, which error reports show as the location, is the script's.
func dropNativeFrames(rt *goja.Runtime, e *goja.Object) {
	st := e.Get("stack")
	if st == nil || goja.IsUndefined(st) {
		return
	}
	lines := strings.Split(st.String(), "\n")
	kept := lines[:0]
	for _, l := range lines {
		if !strings.HasSuffix(l, "(native)") {
			kept = append(kept, l)
		}
	}
	_ = e.DefineDataProperty("stack", rt.ToValue(strings.Join(kept, "\n")), goja.FLAG_TRUE, goja.FLAG_TRUE, goja.FLAG_FALSE)
}
