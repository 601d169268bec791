package webapi

import (
	"reflect"
	"sync"

	"github.com/dop251/goja"
)

// intrinsicsSrc returns the built-in functions that tell typed arrays, DataViews and
// ArrayBuffers apart and read their bytes whatever a script put on the objects
// themselves (WebIDL's BufferSource). The getters are the spec's brand checks.
const intrinsicsSrc = `(function () {
	const g = (o, k) => Object.getOwnPropertyDescriptor(o, k).get;
	const ta = Object.getPrototypeOf(Uint8Array.prototype), dv = DataView.prototype;
	return [ArrayBuffer.isView, g(ta, Symbol.toStringTag), g(ta, 'buffer'), g(ta, 'byteOffset'),
		g(ta, 'byteLength'), g(dv, 'buffer'), g(dv, 'byteOffset'), g(dv, 'byteLength'), Uint8Array];
})()`

var intrinsicsProg = sync.OnceValue(func() *goja.Program {
	return goja.MustCompile("webapi:intrinsics", intrinsicsSrc, true)
})

type intrinsics struct {
	isView, taTag, taBuffer, taOffset, taLength, dvBuffer, dvOffset, dvLength goja.Callable
	uint8Array                                                                *goja.Object
}

var typeArrayBuffer = reflect.TypeOf(goja.ArrayBuffer{})

func (r *Realm) intrinsics() *intrinsics {
	if r.intr != nil {
		return r.intr
	}
	v, err := r.rt.RunProgram(intrinsicsProg())
	if err != nil {
		panic(err)
	}
	obj := v.(*goja.Object)
	fns := make([]goja.Callable, 8)
	for i := range fns {
		fns[i], _ = goja.AssertFunction(obj.Get(string(rune('0' + i))))
	}
	r.intr = &intrinsics{isView: fns[0], taTag: fns[1], taBuffer: fns[2], taOffset: fns[3], taLength: fns[4],
		dvBuffer: fns[5], dvOffset: fns[6], dvLength: fns[7], uint8Array: obj.Get("8").(*goja.Object)}
	return r.intr
}

// call runs a built-in getter on v; the getters cannot fail on a value isView
// accepted.
func (r *Realm) call(fn goja.Callable, v goja.Value) goja.Value {
	res, err := fn(v)
	if err != nil {
		panic(err)
	}
	return res
}

// TypedArrayName returns the name of v's typed-array type ("Uint8Array", ...), or ""
// when v is not a typed array.
func (r *Realm) TypedArrayName(v goja.Value) string {
	if _, ok := v.(*goja.Object); !ok {
		return ""
	}
	in := r.intrinsics()
	if t := r.call(in.taTag, v); !goja.IsUndefined(t) {
		return t.String()
	}
	return ""
}

// View describes an ArrayBufferView: its buffer and the part of it the view covers.
type View struct {
	Buffer     goja.ArrayBuffer
	Offset     int
	Length     int    // bytes
	TypedArray string // "" for a DataView
}

// Bytes returns the bytes the view covers, shared with the buffer.
func (v View) Bytes() []byte {
	b := v.Buffer.Bytes()
	if b == nil {
		return nil // detached
	}
	return b[v.Offset : v.Offset+v.Length]
}

// ArrayBufferView describes v when it is a typed array or a DataView.
func (r *Realm) ArrayBufferView(v goja.Value) (View, bool) {
	if _, ok := v.(*goja.Object); !ok {
		return View{}, false
	}
	in := r.intrinsics()
	if isView, err := in.isView(goja.Undefined(), v); err != nil || !isView.ToBoolean() {
		return View{}, false
	}
	buf, off, n := in.dvBuffer, in.dvOffset, in.dvLength
	name := ""
	if t := r.call(in.taTag, v); !goja.IsUndefined(t) {
		name = t.String()
		buf, off, n = in.taBuffer, in.taOffset, in.taLength
	}
	ab, _ := r.call(buf, v).Export().(goja.ArrayBuffer)
	return View{Buffer: ab, Offset: int(r.call(off, v).ToInteger()), Length: int(r.call(n, v).ToInteger()), TypedArray: name}, true
}

// BufferSource returns the bytes of an ArrayBuffer or an ArrayBufferView (WebIDL's
// BufferSource), shared with the buffer: they are valid until script code runs
// again. ok is false when v is neither.
func (r *Realm) BufferSource(v goja.Value) (b []byte, ok bool) {
	if v == nil {
		return nil, false
	}
	if v.ExportType() == typeArrayBuffer {
		return v.Export().(goja.ArrayBuffer).Bytes(), true
	}
	view, ok := r.ArrayBufferView(v)
	if !ok {
		return nil, false
	}
	return view.Bytes(), true
}

// NewArrayBuffer returns a new ArrayBuffer holding b (not copied).
func (r *Realm) NewArrayBuffer(b []byte) goja.Value {
	return r.rt.ToValue(r.rt.NewArrayBuffer(b))
}

// NewUint8Array returns a new Uint8Array over b (not copied).
func (r *Realm) NewUint8Array(b []byte) goja.Value {
	o, err := r.rt.New(r.intrinsics().uint8Array, r.NewArrayBuffer(b))
	if err != nil {
		panic(err)
	}
	return o
}
