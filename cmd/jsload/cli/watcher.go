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
// would go quiet. Changes are debounced and delivered as sorted, distinct paths.
type watcher struct {
	fs      *fsnotify.Watcher
	Changes chan []string
	Errors  chan error

	mu    sync.Mutex
	files map[string]bool // the files that matter, by absolute path
	dirs  map[string]bool // the folders watched
	done  chan struct{}
	ended chan struct{}
}

func newWatcher() (*watcher, error) {
	fw, err := fsnotify.NewWatcher()
	if err != nil {
		return nil, err
	}
	w := &watcher{fs: fw, Changes: make(chan []string, 1), Errors: make(chan error, 1),
		files: map[string]bool{}, dirs: map[string]bool{}, done: make(chan struct{}), ended: make(chan struct{})}
	go w.loop()
	return w, nil
}

// Set replaces the files that matter and watches their folders. Safe from any
// goroutine.
func (w *watcher) Set(files []string) error {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.files = make(map[string]bool, len(files))
	for _, f := range files {
		abs, err := filepath.Abs(f)
		if err != nil {
			continue
		}
		w.files[abs] = true
		dir := filepath.Dir(abs)
		if !w.dirs[dir] {
			if err := w.fs.Add(dir); err != nil {
				return err
			}
			w.dirs[dir] = true
		}
	}
	return nil
}

func (w *watcher) relevant(path string) bool {
	abs, err := filepath.Abs(path)
	if err != nil {
		return false
	}
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.files[abs]
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
			if ev.Op&(fsnotify.Write|fsnotify.Create|fsnotify.Rename|fsnotify.Remove) == 0 || !w.relevant(ev.Name) {
				continue
			}
			abs, _ := filepath.Abs(ev.Name)
			pending[abs] = true
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
