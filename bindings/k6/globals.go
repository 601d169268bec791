package k6

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"sync"

	"github.com/dop251/goja"

	"github.com/jsload/jsload/bindings"
)

// Globals are the globals k6 scripts use besides the web platform's: __VU,
// __ITER and open.
var Globals = []bindings.Export{
	{Name: "__VU", New: func(h bindings.Host) any { return h.VU().ID }},
	{Name: "__ITER", Live: true, New: func(h bindings.Host) any { return h.VU().Iteration() }},
	{Name: "open", New: func(h bindings.Host) any {
		return func(call goja.FunctionCall) goja.Value { return open(h, call) }
	}},
}

// GlobalNames lists the names of Globals.
func GlobalNames() []string {
	names := make([]string, len(Globals))
	for i, e := range Globals {
		names[i] = e.Name
	}
	return names
}

// open implements open(path[, 'b']): the file's text, or its bytes as an
// ArrayBuffer with 'b'. As in k6 it works in the init context only (a module's
// top level); the path is relative to the calling script. Each file is read
// once per run and shared by every VU.
func open(h bindings.Host, call goja.FunctionCall) goja.Value {
	rt := h.Goja()
	name := call.Argument(0).String()
	if !h.InitContext() {
		bindings.Throw(rt, fmt.Errorf("open(%q): open() works in the init context only (a module's top level), as in k6: read the file at the top of the script into a variable", name))
	}
	mode := ""
	if m := call.Argument(1); !goja.IsUndefined(m) && !goja.IsNull(m) {
		mode = m.String()
	}
	if mode != "" && mode != "b" {
		bindings.Throw(rt, fmt.Errorf("open(%q, %q): the mode is 'b' (an ArrayBuffer) or none (a string)", name, mode))
	}
	data, err := ReadFile(h, name)
	if err != nil {
		bindings.Throw(rt, fmt.Errorf("open(%q): %w", name, err))
	}
	if mode == "b" {
		return rt.ToValue(rt.NewArrayBuffer(bytes.Clone(data))) // the script may change it
	}
	return rt.ToValue(string(data))
}

// ReadFile returns the contents of the file name (relative to the calling
// script, or a file:// URL), read once per run and shared by every VU: the bytes
// must not be changed.
func ReadFile(h bindings.Host, name string) ([]byte, error) {
	path := strings.TrimPrefix(name, "file://")
	if !filepath.IsAbs(path) {
		path = filepath.Join(h.Dir(), path)
	}
	return files(h).read(path)
}

type filesKey struct{}

// fileCache holds the files open() read in a run, by absolute path. Safe for
// concurrent use; the bytes are never changed.
type fileCache struct {
	mu    sync.Mutex
	files map[string]*cachedFile
}

type cachedFile struct {
	once sync.Once
	data []byte
	err  error
}

func files(h bindings.Host) *fileCache {
	return h.TestLocal(filesKey{}, func() any { return &fileCache{files: map[string]*cachedFile{}} }).(*fileCache)
}

// read returns the contents of the file at path, reading it on first use.
func (c *fileCache) read(path string) ([]byte, error) {
	c.mu.Lock()
	f := c.files[path]
	if f == nil {
		f = &cachedFile{}
		c.files[path] = f
	}
	c.mu.Unlock()
	f.once.Do(func() { f.data, f.err = readFile(path) })
	return f.data, f.err
}

func readFile(path string) ([]byte, error) {
	st, err := os.Stat(path)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return nil, notFound(path)
	case err != nil:
		return nil, err
	case st.IsDir():
		return nil, fmt.Errorf("%s is a folder, not a file", path)
	}
	return os.ReadFile(path)
}

// notFound is the error of a missing file; it is an fs.ErrNotExist.
type notFound string

func (p notFound) Error() string {
	return "file " + string(p) + " does not exist (paths are relative to the script that calls open)"
}
func (notFound) Unwrap() error { return fs.ErrNotExist }
