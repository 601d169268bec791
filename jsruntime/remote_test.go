package jsruntime_test

import (
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/jsload/jsload/jsruntime"
	"github.com/jsload/jsload/jsruntime/jstest"
)

// moduleServer serves modules over HTTPS and counts the requests of each path.
type moduleServer struct {
	*httptest.Server
	mu   sync.Mutex
	hits map[string]int
}

func newModuleServer(t *testing.T, files map[string]string) *moduleServer {
	t.Helper()
	s := &moduleServer{hits: map[string]int{}}
	s.Server = httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s.mu.Lock()
		s.hits[r.URL.Path]++
		s.mu.Unlock()
		src, ok := files[r.URL.Path]
		if !ok {
			http.NotFound(w, r)
			return
		}
		w.Header().Set("Content-Type", "application/javascript")
		_, _ = w.Write([]byte(src))
	}))
	t.Cleanup(s.Close)
	return s
}

func (s *moduleServer) hitsOf(path string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.hits[path]
}

// remoteFiles are a small library in the manner of jslib.k6.io: an index that
// imports its parts by relative path, one of them from a folder above, in ESM
// and in CommonJS.
var remoteFiles = map[string]string{
	"/lib/1.0.0/index.js":  "import { twice } from './math.js';\nimport { tag } from '../../shared/tag.js';\nexport function greet(n) { return tag(n) + twice(2); }\n",
	"/lib/1.0.0/math.js":   "export const twice = (x) => x * 2;\n",
	"/shared/tag.js":       "module.exports = { tag: (n) => 'hi ' + n + ' ' };\n",
	"/lib/1.0.0/broken.js": "export const = 1;\n",
}

func writeScript(t *testing.T, src string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "main.js")
	if err := os.WriteFile(path, []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

// TestRemoteImport imports a module by URL from a local HTTPS server: it is
// fetched once per program, even when two files import it, compiled like a
// local file, and its relative imports resolve against its URL. A second
// program offline reads it from the cache without a request.
func TestRemoteImport(t *testing.T) {
	t.Parallel()
	srv := newModuleServer(t, remoteFiles)
	lib := srv.URL + "/lib/1.0.0/index.js"
	script := writeScript(t, "import { greet } from '"+lib+"';\nimport * as again from '"+lib+"';\n"+
		"export const options = { testName: greet('k6') + (again.greet === greet) };\nexport default function () {}\n")
	cache := t.TempDir()
	load := func(offline bool) *jsruntime.Program {
		t.Helper()
		p, err := jsruntime.LoadWith(script, jsruntime.LoadOptions{Builtins: jsruntime.BuiltinModules(),
			Remote: &jsruntime.Remote{CacheDir: cache, Offline: offline, Client: srv.Client()}})
		if err != nil {
			t.Fatal(err)
		}
		return p
	}
	for _, offline := range []bool{false, true} {
		vu := jstest.NewProgram(load(offline)).NewVU(t)
		raw, err := vu.OptionsJSON()
		if err != nil || string(raw) != `{"testName":"hi k6 4true"}` {
			t.Errorf("offline=%v: options %s, %v", offline, raw, err)
		}
		vu.Close()
	}
	for _, p := range []string{"/lib/1.0.0/index.js", "/lib/1.0.0/math.js", "/shared/tag.js"} {
		if n := srv.hitsOf(p); n != 1 {
			t.Errorf("%s fetched %d times, want once (the offline load reads the cache)", p, n)
		}
	}
	if files := load(true).Files(); len(files) != 1 {
		t.Errorf("Files() = %v: want the local script only (nothing to watch for the URLs)", files)
	}
}

// TestRemoteImportErrors checks what a script is told when a module by URL
// cannot be had: not found, not in the cache offline, not valid JavaScript,
// no Remote.
func TestRemoteImportErrors(t *testing.T) {
	t.Parallel()
	srv := newModuleServer(t, remoteFiles)
	for _, tt := range []struct {
		name, path string
		offline    bool
		remote     bool
		want       []string
	}{
		{"not found", "/lib/1.0.0/nope.js", false, true, []string{"main.js:1:", "cannot import " + srv.URL + "/lib/1.0.0/nope.js: the server answered 404 Not Found"}},
		{"offline, not cached", "/lib/1.0.0/index.js", true, true, []string{"is not in the module cache", "run once without --no-remote"}},
		{"syntax error", "/lib/1.0.0/broken.js", false, true, []string{"broken.js:1:"}},
		{"no remote", "/lib/1.0.0/index.js", false, false, []string{"modules cannot be imported by URL here"}},
	} {
		script := writeScript(t, "import '"+srv.URL+tt.path+"';\nexport default function () {}\n")
		o := jsruntime.LoadOptions{Builtins: jsruntime.BuiltinModules()}
		if tt.remote {
			o.Remote = &jsruntime.Remote{CacheDir: t.TempDir(), Offline: tt.offline, Client: srv.Client()}
		}
		_, err := jsruntime.LoadWith(script, o)
		for _, w := range tt.want {
			if err == nil || !strings.Contains(err.Error(), w) {
				t.Errorf("%s: error %v, want %q", tt.name, err, w)
			}
		}
	}
}

// TestRemoteImportCacheHint checks that a failed fetch of a module the cache
// holds says that --no-remote would use the copy.
func TestRemoteImportCacheHint(t *testing.T) {
	t.Parallel()
	srv := newModuleServer(t, remoteFiles)
	cache := t.TempDir()
	script := writeScript(t, "import '"+srv.URL+"/lib/1.0.0/math.js';\nexport default function () {}\n")
	remote := &jsruntime.Remote{CacheDir: cache, Client: srv.Client()}
	if _, err := jsruntime.LoadWith(script, jsruntime.LoadOptions{Remote: remote}); err != nil {
		t.Fatal(err)
	}
	srv.Close() // the network is gone
	_, err := jsruntime.LoadWith(script, jsruntime.LoadOptions{Remote: remote})
	if err == nil || !strings.Contains(err.Error(), "run with --no-remote to use it") {
		t.Errorf("error %v, want the --no-remote hint", err)
	}
}
