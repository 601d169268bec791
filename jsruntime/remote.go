package jsruntime

import (
	"cmp"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net/http"
	"net/url"
	"os"
	"path"
	"path/filepath"
	"strings"
	"time"
)

// Remote fetches the modules a script imports by URL (`import { x } from
// 'https://jslib.k6.io/k6-utils/1.4.0/index.js'`), as k6 does. A Program
// fetches each URL once, the first time a file imports it, and compiles it once
// like a local file; its own relative imports resolve against its URL. Every
// module fetched is kept in CacheDir, so that a run with Offline set (jsload's
// --no-remote) reads the cache only and reaches no network.
//
// A Remote is read-only once Load has it; fetches run on the loading goroutine.
type Remote struct {
	// CacheDir holds the fetched modules; "" is DefaultRemoteCache().
	CacheDir string
	// Offline reads modules from the cache only.
	Offline bool
	// Client fetches the modules; nil is a client with a 30 s timeout (tests
	// give one that trusts their server's certificate).
	Client *http.Client
	// Context ends the fetches under way when it is done (nil: never).
	Context context.Context
}

// maxRemoteModule bounds the size of a module fetched by URL.
const maxRemoteModule = 32 << 20

// DefaultRemoteCache is where fetched modules are kept: jsload/modules in the
// user's cache folder ($XDG_CACHE_HOME or ~/.cache on Linux), or in the
// system's temporary folder when there is none.
func DefaultRemoteCache() string {
	dir, err := os.UserCacheDir()
	if err != nil {
		dir = os.TempDir()
	}
	return filepath.Join(dir, "jsload", "modules")
}

// isRemote reports whether a module name is a URL.
func isRemote(name string) bool {
	return strings.HasPrefix(name, "https://") || strings.HasPrefix(name, "http://")
}

// resolveRemote resolves spec, imported by the module at from, when either is a
// URL: a URL stays itself, and a path in a module fetched by URL is relative to
// that URL. ok is false when neither is a URL.
func resolveRemote(from, spec string, site *importSite) (target string, ok bool, err error) {
	if isRemote(spec) {
		u, err := url.Parse(spec)
		if err != nil || u.Host == "" {
			return "", true, site.errorf("cannot import %q: not a valid URL", spec)
		}
		return u.String(), true, nil
	}
	if !isRemote(from) || !(strings.HasPrefix(spec, "./") || strings.HasPrefix(spec, "../") || strings.HasPrefix(spec, "/")) {
		return "", false, nil
	}
	base, err := url.Parse(from)
	if err != nil {
		return "", true, site.errorf("cannot import %q from %s: %v", spec, from, err)
	}
	ref, err := url.Parse(spec)
	if err != nil {
		return "", true, site.errorf("cannot import %q: not a valid path", spec)
	}
	return base.ResolveReference(ref).String(), true, nil
}

// read returns the text of the module at rawURL: fetched, and kept in the
// cache; or, offline, from the cache.
func (r *Remote) read(rawURL string) ([]byte, error) {
	if r == nil {
		return nil, fmt.Errorf("cannot import %s: modules cannot be imported by URL here", rawURL)
	}
	file := r.cacheFile(rawURL)
	if r.Offline {
		data, err := os.ReadFile(file)
		if errors.Is(err, fs.ErrNotExist) {
			return nil, fmt.Errorf("cannot import %s: it is not in the module cache (%s) and --no-remote forbids fetching it: run once without --no-remote to fetch it", rawURL, r.dir())
		}
		return data, err
	}
	data, err := r.fetch(rawURL)
	if err != nil {
		if _, serr := os.Stat(file); serr == nil {
			err = fmt.Errorf("%w (a copy fetched earlier is in the module cache: run with --no-remote to use it)", err)
		}
		return nil, fmt.Errorf("cannot import %s: %w", rawURL, err)
	}
	if err := writeCached(file, data); err != nil {
		return nil, fmt.Errorf("cannot import %s: keep it in the module cache: %w", rawURL, err)
	}
	return data, nil
}

// fetch gets the module at rawURL.
func (r *Remote) fetch(rawURL string) ([]byte, error) {
	ctx := cmp.Or(r.Context, context.Background())
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, rawURL, nil)
	if err != nil {
		return nil, err
	}
	req.Header.Set("User-Agent", "jsload (module import)")
	client := r.Client
	if client == nil {
		client = &http.Client{Timeout: 30 * time.Second}
	}
	resp, err := client.Do(req)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("the server answered %s", resp.Status)
	}
	data, err := io.ReadAll(io.LimitReader(resp.Body, maxRemoteModule+1))
	if err != nil {
		return nil, err
	}
	if len(data) > maxRemoteModule {
		return nil, fmt.Errorf("the module is larger than %d MiB", maxRemoteModule>>20)
	}
	return data, nil
}

func (r *Remote) dir() string { return cmp.Or(r.CacheDir, DefaultRemoteCache()) }

// cacheFile is where the module at rawURL is kept: a folder per host, and a
// name made of a hash of the whole URL and the URL's last path element, so
// that a person can tell the files apart.
func (r *Remote) cacheFile(rawURL string) string {
	sum := sha256.Sum256([]byte(rawURL))
	host, name := "unknown", "module.js"
	if u, err := url.Parse(rawURL); err == nil {
		host = strings.NewReplacer(":", "_", "/", "_", "\\", "_").Replace(u.Host)
		if b := path.Base(u.Path); b != "/" && b != "." && !strings.ContainsAny(b, `\:`) {
			name = b
		}
	}
	return filepath.Join(r.dir(), host, hex.EncodeToString(sum[:8])+"-"+name)
}

// writeCached writes data to file through a temporary file, so that a reader
// never sees half a module.
func writeCached(file string, data []byte) error {
	if err := os.MkdirAll(filepath.Dir(file), 0o755); err != nil {
		return err
	}
	tmp, err := os.CreateTemp(filepath.Dir(file), ".fetch-*")
	if err != nil {
		return err
	}
	_, werr := tmp.Write(data)
	cerr := tmp.Close()
	if err := errors.Join(werr, cerr); err != nil {
		_ = os.Remove(tmp.Name())
		return err
	}
	if err := os.Rename(tmp.Name(), file); err != nil {
		_ = os.Remove(tmp.Name())
		return err
	}
	return nil
}
