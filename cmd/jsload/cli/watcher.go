package cli

import (
	"path/filepath"
	"sort"
	"sync"
	"time"

	"github.com/fsnotify/fsnotify"
)

// debounce is how long the watcher waits after a change for more: an editor's save
// (write a temporary file, rename it over the original) is one reload.
const debounce = 100 * time.Millisecond

// watcher reports changes to a set of files. It watches their folders, not the files
// themselves, because editors replace a file on save and a watch on the old inode
// would go quiet; for a file reached through a symbolic link, the folder of its
// target too. Changes are debounced and delivered as sorted, distinct paths.
type watcher struct {
	fs      *fsnotify.Watcher
	Changes chan []string
	Errors  chan error

	mu    sync.Mutex
	files map[string]string // the files that matter, by absolute path: the name to report (see Set)
	dirs  map[string]bool   // the folders watched
	done  chan struct{}
	ended chan struct{}
}

func newWatcher() (*watcher, error) {
	fw, err := fsnotify.NewWatcher()
	if err != nil {
		return nil, err
	}
	w := &watcher{fs: fw, Changes: make(chan []string, 1), Errors: make(chan error, 1),
		files: map[string]string{}, dirs: map[string]bool{}, done: make(chan struct{}), ended: make(chan struct{})}
	go w.loop()
	return w, nil
}

// Set replaces the files that matter and watches their folders. A file reached
// through a symbolic link (the file or one of its folders) is watched where
// the link points too, since an edit there changes nothing in the link's
// folder; a change there is reported under the name given. Safe from any
// goroutine.
func (w *watcher) Set(files []string) error {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.files = make(map[string]string, len(files))
	for _, f := range files {
		abs, err := filepath.Abs(f)
		if err != nil {
			continue
		}
		w.files[abs] = abs
		if err := w.watchDir(filepath.Dir(abs)); err != nil {
			return err
		}
		real, err := filepath.EvalSymlinks(abs)
		if err != nil || real == abs {
			continue
		}
		if _, named := w.files[real]; !named {
			w.files[real] = abs
		}
		if err := w.watchDir(filepath.Dir(real)); err != nil {
			return err
		}
	}
	return nil
}

// watchDir watches dir unless it is watched already. The caller holds mu.
func (w *watcher) watchDir(dir string) error {
	if w.dirs[dir] {
		return nil
	}
	if err := w.fs.Add(dir); err != nil {
		return err
	}
	w.dirs[dir] = true
	return nil
}

// relevant returns the name under which a change to path is reported, and
// whether path is a file that matters.
func (w *watcher) relevant(path string) (string, bool) {
	abs, err := filepath.Abs(path)
	if err != nil {
		return "", false
	}
	w.mu.Lock()
	defer w.mu.Unlock()
	name, ok := w.files[abs]
	return name, ok
}

func (w *watcher) loop() {
	defer close(w.ended)
	pending := map[string]bool{}
	var timer *time.Timer
	var fire <-chan time.Time
	for {
		select {
		case <-w.done:
			if timer != nil {
				timer.Stop()
			}
			return
		case ev, ok := <-w.fs.Events:
			if !ok {
				return
			}
			if ev.Op&(fsnotify.Write|fsnotify.Create|fsnotify.Rename|fsnotify.Remove) == 0 {
				continue
			}
			name, ok := w.relevant(ev.Name)
			if !ok {
				continue
			}
			pending[name] = true
			if timer == nil {
				timer = time.NewTimer(debounce)
			} else {
				timer.Reset(debounce)
			}
			fire = timer.C
		case err, ok := <-w.fs.Errors:
			if !ok {
				return
			}
			select {
			case w.Errors <- err:
			default:
			}
		case <-fire:
			fire = nil
			paths := make([]string, 0, len(pending))
			for p := range pending {
				paths = append(paths, p)
			}
			sort.Strings(paths)
			clear(pending)
			select {
			case w.Changes <- paths:
			case <-w.done:
				return
			}
		}
	}
}

// Close stops watching and waits for the watcher's goroutine. Idempotent.
func (w *watcher) Close() {
	select {
	case <-w.done:
		return
	default:
	}
	close(w.done)
	_ = w.fs.Close()
	<-w.ended
}
