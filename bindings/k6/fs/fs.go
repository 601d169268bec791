// Package fs is k6/experimental/fs: open(path) gives a File to read, seek and
// stat, over the run's shared copy of the file (read once per run, as open()
// of the init context). Unlike k6, open works outside the init context too:
// jsload does not have top-level await, so a script opens its files where it
// can await.
package fs

import (
	"errors"
	"fmt"
	"io/fs"
	"path/filepath"

	"github.com/dop251/goja"

	"github.com/jsload/jsload/bindings"
	k6 "github.com/jsload/jsload/bindings/k6"
	"github.com/jsload/jsload/bindings/webapi"
)

// Seek modes, as k6's SeekMode.
const (
	seekStart   = 0
	seekCurrent = 1
	seekEnd     = 2
)

// Module builds the exports of k6/experimental/fs for h's runtime.
func Module(h bindings.Host) *goja.Object {
	rt := h.Goja()
	o := rt.NewObject()
	_ = o.Set("open", func(call goja.FunctionCall) goja.Value {
		p, resolve, reject := rt.NewPromise()
		name := call.Argument(0).String()
		data, err := k6.ReadFile(h, name)
		if err != nil {
			_ = reject(fsError(rt, name, err))
		} else {
			f := &File{rt: rt, Path: name, Data: data}
			_ = resolve(rt.NewDynamicObject(f))
		}
		return rt.ToValue(p)
	})
	mode := rt.NewObject()
	_ = mode.Set("Start", seekStart)
	_ = mode.Set("Current", seekCurrent)
	_ = mode.Set("End", seekEnd)
	_ = o.Set("SeekMode", mode)
	return o
}

// fsError is the error a failed operation rejects with, named as k6's
// (NotFoundError, ...).
func fsError(rt *goja.Runtime, name string, err error) *goja.Object {
	e := rt.NewGoError(fmt.Errorf("open(%q): %w", name, err))
	if errors.Is(err, fs.ErrNotExist) {
		_ = e.Set("name", "NotFoundError")
	} else {
		_ = e.Set("name", "FsError")
	}
	return e
}

// File is an open file of one VU: the run's shared bytes and its own offset. Its
// script object is a goja.DynamicObject over it (Export gives the *File back,
// for k6/experimental/csv); it belongs to its runtime's goroutine.
type File struct {
	rt     *goja.Runtime
	Path   string // as the script gave it
	Data   []byte // shared: never written
	offset int64
	fns    map[string]goja.Value
}

var fileKeys = []string{"path"}

// Get implements goja.DynamicObject: path, read, seek and stat.
func (f *File) Get(key string) goja.Value {
	if key == "path" {
		return f.rt.ToValue(f.Path)
	}
	if f.fns == nil {
		f.fns = map[string]goja.Value{
			"read": f.rt.ToValue(func(c goja.FunctionCall) goja.Value { return f.rt.ToValue(f.read(c.Argument(0))) }),
			"seek": f.rt.ToValue(func(c goja.FunctionCall) goja.Value {
				return f.rt.ToValue(f.seek(c.Argument(0).ToInteger(), c.Argument(1)))
			}),
			"stat": f.rt.ToValue(func(goja.FunctionCall) goja.Value { return f.rt.ToValue(f.stat()) }),
		}
	}
	return f.fns[key]
}

// Set, Has, Delete and Keys implement goja.DynamicObject; a File is read-only.
func (f *File) Set(string, goja.Value) bool { return false }
func (f *File) Has(key string) bool {
	return key == "path" || key == "read" || key == "seek" || key == "stat"
}
func (f *File) Delete(string) bool { return false }
func (f *File) Keys() []string     { return fileKeys }

func (f *File) settle(v any, err error) *goja.Promise {
	p, resolve, reject := f.rt.NewPromise()
	if err != nil {
		_ = reject(f.rt.NewGoError(err))
	} else {
		_ = resolve(v)
	}
	return p
}

// stat resolves to { name, size }.
func (f *File) stat() *goja.Promise {
	info := f.rt.NewObject()
	_ = info.Set("name", filepath.Base(f.Path))
	_ = info.Set("size", len(f.Data))
	return f.settle(info, nil)
}

// read fills buffer (a Uint8Array) from the offset and resolves to the number
// of bytes read, or null at the end of the file.
func (f *File) read(buffer goja.Value) *goja.Promise {
	view, ok := webapi.RealmOf(f.rt).ArrayBufferView(buffer)
	if !ok {
		return f.settle(nil, errors.New("read(buffer): the buffer must be a Uint8Array or another typed array"))
	}
	if f.offset >= int64(len(f.Data)) {
		return f.settle(goja.Null(), nil)
	}
	n := copy(view.Bytes(), f.Data[f.offset:])
	f.offset += int64(n)
	return f.settle(n, nil)
}

// seek moves the offset (whence: SeekMode.Start, Current or End) and resolves to
// the new offset.
func (f *File) seek(offset int64, whence goja.Value) *goja.Promise {
	base := int64(0)
	w := int64(seekStart)
	if !goja.IsUndefined(whence) {
		w = whence.ToInteger()
	}
	switch w {
	case seekStart:
	case seekCurrent:
		base = f.offset
	case seekEnd:
		base = int64(len(f.Data))
	default:
		return f.settle(nil, fmt.Errorf("seek: whence %d is not SeekMode.Start, Current or End", w))
	}
	if base+offset < 0 {
		return f.settle(nil, fmt.Errorf("seek: offset %d is before the start of the file", base+offset))
	}
	f.offset = base + offset
	return f.settle(f.offset, nil)
}
