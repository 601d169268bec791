package cli

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"

	"github.com/jsload/jsload/metrics"
)

// outputFile is a file a run will write, as checked before it starts.
type outputFile struct {
	flag string      // the flag that names it, e.g. "--out json=a.ndjson"
	path string      // absolute, its folder's symbolic links resolved
	info os.FileInfo // nil when the file does not exist yet
	// replaced says the file is written beside and renamed over the path at the
	// end (the summary export), so its folder must be writable.
	replaced bool
}

// checkOutputPaths checks, before the script is even loaded, that every file the
// run writes at its end or along the way can be written: each --out FILE and the
// --summary-export FILE, none named twice (the same file under two names
// included: two writers would interleave their lines into garbage). Nothing is
// created or truncated: a file that does not exist yet is created and removed
// again, one that exists is opened for writing and closed. A test that would
// run for an hour and then lose its results fails here instead.
func checkOutputPaths(f *runFlags) error {
	var files []outputFile
	for _, spec := range f.outs {
		if path, ok := metrics.OutputFile(spec); ok {
			if err := claimOutput(&files, "--out "+spec, path, false); err != nil {
				return err
			}
		}
	}
	if f.summaryExport != "" {
		return claimOutput(&files, "--summary-export", f.summaryExport, true)
	}
	return nil
}

// claimOutput checks that the file path, named by flag, is writable and not one
// of files, and adds it.
func claimOutput(files *[]outputFile, flag, path string, replaced bool) error {
	o, err := resolveOutput(flag, path)
	if err != nil {
		return err
	}
	o.replaced = replaced
	for _, prev := range *files {
		if prev.path == o.path || (prev.info != nil && o.info != nil && os.SameFile(prev.info, o.info)) {
			return fmt.Errorf("%s and %s write the same file %s: give each output a file of its own", prev.flag, flag, path)
		}
	}
	if err := probeWritable(o); err != nil {
		return fmt.Errorf("%s: %w", flag, err)
	}
	*files = append(*files, o)
	return nil
}

func resolveOutput(flag, path string) (outputFile, error) {
	abs, err := filepath.Abs(path)
	if err != nil {
		return outputFile{}, fmt.Errorf("%s: %w", flag, err)
	}
	dir, name := filepath.Split(abs)
	if real, err := filepath.EvalSymlinks(dir); err == nil {
		abs = filepath.Join(real, name)
	}
	o := outputFile{flag: flag, path: abs}
	switch info, err := os.Stat(abs); {
	case err == nil:
		o.info = info
	case errors.Is(err, fs.ErrNotExist):
		if st, derr := os.Stat(dir); derr != nil || !st.IsDir() {
			return o, fmt.Errorf("%s: cannot write %s: the folder %s does not exist: create it first or name another file", flag, path, filepath.Clean(dir))
		}
	default:
		return o, fmt.Errorf("%s: cannot write %s: %w", flag, path, err)
	}
	return o, nil
}

// probeWritable opens the output file for writing without changing it. Only
// regular files (and files not yet made) are opened: opening a named pipe would
// wait for its reader, and devices such as /dev/stdout are writable as they are.
// For a file replaced at the end, a temporary file is made in its folder instead.
func probeWritable(o outputFile) error {
	if o.info != nil && o.info.IsDir() {
		return fmt.Errorf("%s is a folder: name a file", o.path)
	}
	if o.replaced {
		dir := filepath.Dir(o.path)
		f, err := os.CreateTemp(dir, ".jsload-probe-*")
		if err != nil {
			return fmt.Errorf("cannot write %s: cannot create files in %s: %w", o.path, dir, unwrapPath(err))
		}
		_ = f.Close()
		return os.Remove(f.Name())
	}
	if o.info != nil {
		if !o.info.Mode().IsRegular() {
			return nil
		}
		f, err := os.OpenFile(o.path, os.O_WRONLY, 0)
		if err != nil {
			return fmt.Errorf("cannot write %s: %w", o.path, unwrapPath(err))
		}
		return f.Close()
	}
	f, err := os.OpenFile(o.path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
	if err != nil {
		return fmt.Errorf("cannot create %s: %w", o.path, unwrapPath(err))
	}
	_ = f.Close()
	return os.Remove(o.path)
}

// unwrapPath drops the *fs.PathError around err, whose path the message already names.
func unwrapPath(err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}
