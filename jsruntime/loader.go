package jsruntime

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/dop251/goja"
	"github.com/dop251/goja/ast"
	"github.com/evanw/esbuild/pkg/api"

	k6bind "github.com/jsload/jsload/bindings/k6"
)

// Program is a loaded script: the main file and every local module it imports,
// each transformed (ESM/TypeScript → CommonJS, with a source map) and compiled once.
// A Program is read-only after Load except for its module cache, which is guarded,
// so it is shared by every runtime of every VU: nothing is parsed per VU.
type Program struct {
	// Main is the script named on the command line.
	Main *Module

	builtins map[string]bool
	sources  map[string]string // in-memory modules: name → text
	remote   *Remote           // fetches the modules imported by URL; nil: none may be

	mu      sync.Mutex
	modules map[string]*moduleSlot // by absolute path

	importsK6 atomic.Bool // some file imports a k6 module (k6, k6/http, ...)
	// mainFuncs are the functions the main script exports, sorted, stored when
	// a runtime first evaluates it; nil before.
	mainFuncs atomic.Pointer[[]string]
}

// ImportsK6 reports whether a file of the program imports one of k6's modules:
// a k6 script, which expects what k6 gives its scripts (e.g. the environment in
// __ENV).
func (p *Program) ImportsK6() bool { return p.importsK6.Load() }

// Module is one compiled file. Running its program yields a CommonJS wrapper
// function (exports, require, module, __filename, __dirname).
type Module struct {
	// Path is the absolute path of the file.
	Path string
	// source is the file's original text, kept for error excerpts.
	source string
	prog   *goja.Program
	deps   map[string]string // require specifier → absolute path or built-in name
	specs  []string          // the keys of deps in the order the file imports them
	// dropping says the file has calls whose result is dropped (dropped.go).
	dropping bool
}

type moduleSlot struct {
	once   sync.Once
	mod    *Module
	err    error
	linked atomic.Bool // every module it imports, transitively, is compiled
}

// moduleWrapperHead and moduleWrapperTail turn a CommonJS file into one function
// expression. esbuild emits them as banner and footer, so the source map already
// accounts for them and positions stay those of the user's file.
//
// __export and __toCommonJS are parameters so that fast native versions can replace
// esbuild's helpers of those names (see nativeHelpers); __jsload_drop is what the
// calls whose result is dropped go through (dropped.go).
const (
	moduleWrapperHead = "(function (exports, require, module, __filename, __dirname, __export, __toCommonJS, " + dropParam + ") {"
	moduleWrapperTail = "\n})"
)

// requireCall finds the literal require("...") calls in esbuild's output, which always
// prints string literals with double quotes and drops ordinary comments.
var requireCall = regexp.MustCompile(`\brequire\("((?:[^"\\\n]|\\.)*)"\)`)

// Source is a module held in memory rather than in a file, such as a library
// embedded in the binary. Scripts import it by Name, as they import a built-in
// module; it is compiled like a file, once per Program, with the loader its
// Name's extension says (JavaScript without one).
type Source struct {
	Name string // the import specifier, e.g. "jstest/assert"; not a path
	Text string
}

// Load reads, transforms and compiles the script at path and, transitively, every
// local module it imports. builtins names the modules provided by jsload itself
// (`jsload`, `jsload/http`, ...); sources are modules held in memory. Errors name
// the user's file:line:col.
func Load(path string, builtins []string, sources ...Source) (*Program, error) {
	return LoadWith(path, LoadOptions{Builtins: builtins, Sources: sources})
}

// LoadOptions are what Load takes, and Remote, which lets the script import
// modules by URL.
type LoadOptions struct {
	Builtins []string
	Sources  []Source
	// Remote fetches the modules imported by URL; nil makes such an import an
	// error.
	Remote *Remote
}

// LoadWith is Load with o.Remote.
func LoadWith(path string, o LoadOptions) (*Program, error) {
	builtins, sources := o.Builtins, o.Sources
	abs, err := filepath.Abs(path)
	if err != nil {
		return nil, fmt.Errorf("load %s: %w", path, err)
	}
	p := &Program{builtins: map[string]bool{}, sources: map[string]string{}, modules: map[string]*moduleSlot{}, remote: o.Remote}
	for _, b := range builtins {
		p.builtins[b] = true
	}
	for _, src := range sources {
		p.sources[src.Name] = src.Text
	}
	p.Main, err = p.module(abs, nil)
	if err != nil {
		return nil, err
	}
	return p, nil
}

// Files returns the absolute paths of every file compiled so far, sorted: the main
// script, its imports and any background script loaded by path (not the
// in-memory sources).
func (p *Program) Files() []string {
	p.mu.Lock()
	defer p.mu.Unlock()
	files := make([]string, 0, len(p.modules))
	for path, s := range p.modules {
		if _, inMemory := p.sources[path]; s.mod != nil && !inMemory && !isRemote(path) {
			files = append(files, path)
		}
	}
	sort.Strings(files)
	return files
}

// module returns the compiled module for the file at abs and, transitively, of
// every local module it imports, compiling each on first use; from, if set, is
// the importing module, for messages. Safe for concurrent use; each file is
// compiled once.
//
// Imports may form cycles (a.js imports b.js, which imports a.js): each file's
// own compilation (compileFile, under its slot's sync.Once) never waits for
// another file's, and the import graph is walked here with a set of the files
// seen, so a cycle ends the walk instead of re-entering a Once (a deadlock).
func (p *Program) module(abs string, from *importSite) (*Module, error) {
	slot := p.slot(abs)
	root, err := p.compileOnce(slot, abs, from)
	if err != nil || slot.linked.Load() {
		return root, err
	}
	seen := map[*Module]bool{root: true}
	queue := []*Module{root}
	for len(queue) > 0 {
		m := queue[0]
		queue = queue[1:]
		for _, spec := range m.specs {
			target := m.deps[spec]
			if p.builtins[target] {
				continue
			}
			dep, err := p.file(target, &importSite{file: m.Path, spec: spec, src: m.source})
			if err != nil {
				return nil, err
			}
			if !seen[dep] {
				seen[dep] = true
				queue = append(queue, dep)
			}
		}
	}
	slot.linked.Store(true)
	return root, nil
}

// file returns the compiled module for the file at abs alone, compiling it on
// first use; its imports are resolved but not compiled (see module).
func (p *Program) file(abs string, from *importSite) (*Module, error) {
	return p.compileOnce(p.slot(abs), abs, from)
}

func (p *Program) slot(abs string) *moduleSlot {
	p.mu.Lock()
	defer p.mu.Unlock()
	slot, ok := p.modules[abs]
	if !ok {
		slot = &moduleSlot{}
		p.modules[abs] = slot
	}
	return slot
}

func (p *Program) compileOnce(slot *moduleSlot, abs string, from *importSite) (*Module, error) {
	slot.once.Do(func() { slot.mod, slot.err = p.compile(abs, from) })
	return slot.mod, slot.err
}

// importSite is where an import statement stands, for error messages.
type importSite struct {
	file, spec string
	src        string
}

// compile reads, transforms and compiles the file at abs and resolves its
// imports; it compiles no other file.
func (p *Program) compile(abs string, from *importSite) (*Module, error) {
	data, err := p.read(abs)
	if err != nil {
		if isRemote(abs) && from != nil { // the fetch's error, at the import
			return nil, from.errorf("%v", err)
		}
		if errors.Is(err, fs.ErrNotExist) {
			if from != nil {
				return nil, from.errorf("cannot import %q: file %s does not exist", from.spec, DisplayPath(abs))
			}
			return nil, fmt.Errorf("script %s does not exist: check the path", DisplayPath(abs))
		}
		return nil, fmt.Errorf("read %s: %w", DisplayPath(abs), err)
	}
	src := string(data)
	sourcefile := abs
	if _, inMemory := p.sources[abs]; inMemory || isRemote(abs) {
		// goja resolves a relative source-map source against the module's own
		// directory: the base name comes back as the whole name.
		sourcefile = path.Base(abs)
	}
	code, tree, err := parseModule(abs, sourcefile, src)
	if err != nil {
		return nil, err
	}
	dropping := markDropped(tree)
	prog, err := goja.CompileAST(tree, false)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", DisplayPath(abs), err)
	}
	m := &Module{Path: abs, source: src, prog: prog, deps: map[string]string{}, dropping: dropping}
	for _, match := range requireCall.FindAllStringSubmatch(code, -1) {
		spec := match[1]
		if _, seen := m.deps[spec]; seen {
			continue
		}
		site := &importSite{file: abs, spec: spec, src: src}
		target, err := p.resolve(abs, spec, site)
		if err != nil {
			return nil, err
		}
		m.deps[spec] = target
		if p.builtins[target] && (target == "k6" || strings.HasPrefix(target, "k6/")) {
			p.importsK6.Store(true)
		}
		m.specs = append(m.specs, spec)
	}
	return m, nil
}

// parseModule transforms src, the text of the file at abs, into a CommonJS
// module wrapper (esbuild, naming it sourcefile in its source map) and parses
// it.
func parseModule(abs, sourcefile, src string) (string, *ast.Program, error) {
	res := api.Transform(src, api.TransformOptions{
		Loader:     loaderFor(abs),
		Format:     api.FormatCommonJS,
		Target:     api.ES2017,
		Sourcemap:  api.SourceMapInline,
		Sourcefile: sourcefile,
		Banner:     moduleWrapperHead,
		Footer:     moduleWrapperTail,
		Charset:    api.CharsetUTF8,
		LogLevel:   api.LogLevelSilent,
	})
	if len(res.Errors) > 0 {
		return "", nil, esbuildError(abs, res.Errors[0])
	}
	code := blankHelpers(string(res.Code))
	prog, err := goja.Parse(abs, code)
	if err != nil {
		return "", nil, fmt.Errorf("%s: %w", DisplayPath(abs), err)
	}
	return code, prog, nil
}

// read returns the text of the file at abs, or of the in-memory source so named.
func (p *Program) read(abs string) ([]byte, error) {
	if text, ok := p.sources[abs]; ok {
		return []byte(text), nil
	}
	if isRemote(abs) {
		return p.remote.read(abs)
	}
	return os.ReadFile(abs)
}

// resolve maps an import specifier, as written in the file at from, to an absolute
// path, a built-in module name or an in-memory source's name.
func (p *Program) resolve(from, spec string, site *importSite) (string, error) {
	if _, ok := p.sources[spec]; p.builtins[spec] || ok {
		return spec, nil
	}
	if why, isK6 := k6bind.Unsupported(spec); isK6 {
		return "", site.errorf("cannot import %q: %s", spec, why)
	}
	if target, ok, err := resolveRemote(from, spec, site); ok {
		return target, err
	}
	if !strings.HasPrefix(spec, "./") && !strings.HasPrefix(spec, "../") && !filepath.IsAbs(spec) {
		return "", site.errorf("unknown module %q: import local files by relative path (\"./%s.js\") or a built-in module (%s)",
			spec, strings.TrimPrefix(spec, "k6/"), strings.Join(p.builtinList(), ", "))
	}
	base := spec
	if !filepath.IsAbs(spec) {
		base = filepath.Join(filepath.Dir(from), spec)
	}
	cands := []string{base, base + ".js", base + ".ts", base + ".mjs", base + ".json",
		filepath.Join(base, "index.js"), filepath.Join(base, "index.ts")}
	if strings.HasSuffix(base, ".js") { // TypeScript's convention: import './x.js' means x.ts
		cands = append(cands, strings.TrimSuffix(base, ".js")+".ts")
	}
	for _, cand := range cands {
		if st, err := os.Stat(cand); err == nil && !st.IsDir() {
			return cand, nil
		}
	}
	return "", site.errorf("cannot import %q: no file %s (also tried .js, .ts, .mjs, .json, index.js, and .ts for .js)", spec, DisplayPath(base))
}

func (p *Program) builtinList() []string {
	names := make([]string, 0, len(p.builtins))
	for n := range p.builtins {
		names = append(names, n)
	}
	sort.Strings(names)
	return names
}

// errorf builds an error located at the import statement of the specifier.
func (s *importSite) errorf(format string, args ...any) error {
	line, col := 1, 1
	for _, q := range []string{`'` + s.spec + `'`, `"` + s.spec + `"`, "`" + s.spec + "`"} {
		if i := strings.Index(s.src, q); i >= 0 {
			line, col = lineCol(s.src, i)
			break
		}
	}
	return &SourceError{File: s.file, Line: line, Col: col, Msg: fmt.Sprintf(format, args...), LineText: lineText(s.src, line)}
}

// esbuildHelpers are the helper definitions esbuild prints for an ES module turned
// into CommonJS, which the runtime provides natively: run in JS, they cost each VU
// tens of microseconds and kilobytes (for-in/for-of over the exports, one getter
// closure per export, copied again by __toCommonJS).
var esbuildHelpers = []string{
	"var __export = (target, all) => {\n  for (var name in all)\n    __defProp(target, name, { get: all[name], enumerable: true });\n};\n",
	"var __toCommonJS = (mod) => __copyProps(__defProp({}, \"__esModule\", { value: true }), mod);\n",
}

// esbuildLeftovers are the helper definitions esbuild prints for the helpers of
// esbuildHelpers (and for __reExport and __toESM, which stay): once those are
// blanked, each is needed only when something else in the module still refers
// to it. TestHelpersBlanked notices when a new esbuild prints them otherwise.
var esbuildLeftovers = []struct{ name, text string }{
	{"__copyProps", "var __copyProps = (to, from, except, desc) => {\n  if (from && typeof from === \"object\" || typeof from === \"function\") {\n    for (let key of __getOwnPropNames(from))\n      if (!__hasOwnProp.call(to, key) && key !== except)\n        __defProp(to, key, { get: () => from[key], enumerable: !(desc = __getOwnPropDesc(from, key)) || desc.enumerable });\n  }\n  return to;\n};\n"},
	{"__create", "var __create = Object.create;\n"},
	{"__defProp", "var __defProp = Object.defineProperty;\n"},
	{"__getOwnPropDesc", "var __getOwnPropDesc = Object.getOwnPropertyDescriptor;\n"},
	{"__getOwnPropNames", "var __getOwnPropNames = Object.getOwnPropertyNames;\n"},
	{"__getProtoOf", "var __getProtoOf = Object.getPrototypeOf;\n"},
	{"__hasOwnProp", "var __hasOwnProp = Object.prototype.hasOwnProperty;\n"},
}

// blankHelpers replaces the helper definitions found verbatim in code with spaces,
// keeping its lines where they are (so that the source map still holds): first
// esbuildHelpers, which the runtime passes in natively, then each of
// esbuildLeftovers that nothing in code refers to any more, until none is left
// to blank. Every helper a module evaluates costs each VU the function it makes
// (Object.defineProperty and its kind, read from Object, become functions of
// the VU's runtime then): about 3 KiB per module for the four that __export and
// __toCommonJS left behind.
func blankHelpers(code string) string {
	for _, h := range esbuildHelpers {
		code, _ = blankText(code, h)
	}
	for blanked := true; blanked; {
		blanked = false
		for _, h := range esbuildLeftovers {
			if identCount(code, h.name) == 1 {
				var b bool
				code, b = blankText(code, h.text)
				blanked = blanked || b
			}
		}
	}
	return code
}

// blankText replaces the first occurrence of text in code with spaces, keeping
// its newlines, and reports whether there was one.
func blankText(code, text string) (string, bool) {
	i := strings.Index(code, text)
	if i < 0 {
		return code, false
	}
	blank := strings.Map(func(r rune) rune {
		if r == '\n' {
			return r
		}
		return ' '
	}, text)
	return code[:i] + blank + code[i+len(text):], true
}

// identCount counts the occurrences of name in code as a whole identifier (not
// as part of a longer one such as __defProp2). A mention in a string or comment
// counts too, which can only keep a helper that could have gone.
func identCount(code, name string) int {
	n := 0
	for i := 0; ; {
		j := strings.Index(code[i:], name)
		if j < 0 {
			return n
		}
		at, end := i+j, i+j+len(name)
		if (at == 0 || !isIdentByte(code[at-1])) && (end == len(code) || !isIdentByte(code[end])) {
			n++
		}
		i = end
	}
}

func isIdentByte(c byte) bool {
	return c == '_' || c == '$' || c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= 0x80
}

func loaderFor(path string) api.Loader {
	switch strings.ToLower(filepath.Ext(path)) {
	case ".ts", ".mts", ".cts":
		return api.LoaderTS
	case ".json":
		return api.LoaderJSON
	default:
		return api.LoaderJS
	}
}

func esbuildError(abs string, m api.Message) error {
	e := &SourceError{File: abs, Line: 1, Col: 1, Msg: m.Text}
	if m.Location != nil {
		e.Line = m.Location.Line
		e.Col = m.Location.Column + 1 // esbuild counts columns from 0
		e.LineText = m.Location.LineText
	}
	return e
}
