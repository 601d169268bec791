package metrics

import (
	"bytes"
	"errors"
	"io"
	"os"
	"strings"
	"syscall"
	"testing"
	"time"
)

// smallDisk is a file on a disk with room for limit bytes: a write past it
// takes what fits and fails with ENOSPC, as write(2) on a full file system
// does. Like an *os.File it can be truncated and seeked.
type smallDisk struct {
	data   []byte
	off    int64
	limit  int
	closed bool
}

func (d *smallDisk) Write(p []byte) (int, error) {
	room := max(d.limit-int(d.off), 0)
	n := min(len(p), room)
	d.data = append(d.data[:d.off], p[:n]...)
	d.off += int64(n)
	if n < len(p) {
		return n, syscall.ENOSPC
	}
	return n, nil
}

func (d *smallDisk) Truncate(size int64) error {
	if size < int64(len(d.data)) {
		d.data = d.data[:size]
	}
	return nil
}

func (d *smallDisk) Seek(off int64, whence int) (int64, error) {
	if whence != io.SeekStart {
		return 0, errors.New("only io.SeekStart")
	}
	d.off = off
	return off, nil
}

func (d *smallDisk) Close() error { d.closed = true; return nil }
func (d *smallDisk) Name() string { return "small.out" }

// pipe is a destination that cannot be cut back: it takes what fits, then fails.
type pipe struct {
	bytes.Buffer
	limit int
}

func (p *pipe) Write(b []byte) (int, error) {
	n := min(len(b), max(p.limit-p.Len(), 0))
	p.Buffer.Write(b[:n])
	if n < len(b) {
		return n, syscall.EPIPE
	}
	return n, nil
}

// TestFullDiskLeavesWholeLines fills the disk in the middle of an interval:
// the half-written interval is cut back off the file, the loss is counted and
// reported by Close (again on a second Close), and writing resumes whole when
// the disk has room again.
func TestFullDiskLeavesWholeLines(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		kind  string
		open  func(io.Writer) Output
		parse func(*testing.T, []byte) int
	}{
		{"json", NewJSONOutput, parseNDJSON},
		{"csv", NewCSVOutput, parseCSV},
	} {
		t.Run(tt.kind, func(t *testing.T) {
			t.Parallel()
			disk := &smallDisk{limit: 1 << 20}
			out := tt.open(disk)
			r := NewRegistry()
			r.SetStart(t0)
			rows := feed(t, r, out, 2)
			whole := len(disk.data)
			disk.limit = whole + 20 // room for part of one line only
			s := r.NewSink()
			s.Add(r.Builtins().HTTPReqs, Tags{}, 1)
			err := out.AddInterval(r.CollectAt(t0.Add(3 * time.Second)))
			if !errors.Is(err, syscall.ENOSPC) || !strings.Contains(err.Error(), "lost") {
				t.Errorf("AddInterval on a full disk = %v, want ENOSPC and what it means", err)
			}
			if len(disk.data) != whole {
				t.Errorf("the file holds %d bytes after the failed write, want the %d of the whole lines before it", len(disk.data), whole)
			}
			disk.limit = 1 << 20 // room again
			rows += feedMore(t, r, out, 4, 2)
			err = out.Close()
			var lost *LostDataError
			if !errors.As(err, &lost) || lost.Lost != 1 || lost.Batches != 5 || lost.TotalsLost || lost.File != "small.out" {
				t.Fatalf("Close = %v (%+v), want 1 of 5 writes lost", err, lost)
			}
			if !strings.Contains(err.Error(), "small.out lost 1 of 5 writes") {
				t.Errorf("message %q", err)
			}
			if again := out.Close(); !errors.As(again, &lost) {
				t.Errorf("second Close = %v, want the loss again", again)
			}
			if got := tt.parse(t, disk.data); got != rows {
				t.Errorf("the file has %d rows, want %d", got, rows)
			}
		})
	}
}

// feedMore feeds n more seconds from second from on, as feed does.
func feedMore(t *testing.T, r *Registry, out Output, from, n int) int {
	t.Helper()
	s := r.NewSink()
	rows := 0
	for sec := from; sec < from+n; sec++ {
		s.Add(r.Builtins().HTTPReqs, NewTags("status", "200"), 1)
		iv := r.CollectAt(t0.Add(time.Duration(sec) * time.Second))
		if err := out.AddInterval(iv); err != nil {
			t.Fatalf("AddInterval: %v", err)
		}
		rows += len(iv.Series())
	}
	return rows
}

// TestFullDiskBeforeTheCSVHeader: the header waits for the first write that
// succeeds, so a file that fills up at once has it when writing resumes.
func TestFullDiskBeforeTheCSVHeader(t *testing.T) {
	t.Parallel()
	disk := &smallDisk{limit: 10}
	out := NewCSVOutput(disk)
	r := NewRegistry()
	r.SetStart(t0)
	s := r.NewSink()
	s.Add(r.Builtins().HTTPReqs, Tags{}, 1)
	if err := out.AddInterval(r.CollectAt(t0.Add(time.Second))); err == nil {
		t.Fatal("AddInterval on a full disk succeeded")
	}
	if len(disk.data) != 0 {
		t.Errorf("a cut header was left: %q", disk.data)
	}
	disk.limit = 1 << 20
	rows := feedMore(t, r, out, 2, 1)
	if err := out.AddTotals(r.Totals()); err != nil {
		t.Fatal(err)
	}
	var lost *LostDataError
	if err := out.Close(); !errors.As(err, &lost) || lost.Lost != 1 || lost.TotalsLost {
		t.Errorf("Close = %v", err)
	}
	if got := parseCSV(t, disk.data); got != rows+len(r.Totals().Series()) {
		t.Errorf("%d rows, want %d", got, rows+len(r.Totals().Series()))
	}
}

// TestLostTotals: a loss of the last write, the totals, is said.
func TestLostTotals(t *testing.T) {
	t.Parallel()
	disk := &smallDisk{limit: 1 << 20}
	out := NewJSONOutput(disk)
	r := NewRegistry()
	r.SetStart(t0)
	feed(t, r, out, 1)
	disk.limit = len(disk.data) + 10
	if err := out.AddTotals(r.Totals()); err == nil {
		t.Fatal("AddTotals on a full disk succeeded")
	}
	err := out.Close()
	var lost *LostDataError
	if !errors.As(err, &lost) || !lost.TotalsLost || !strings.Contains(err.Error(), "the totals among them") {
		t.Errorf("Close = %v", err)
	}
	if !disk.closed {
		t.Error("the file was not closed")
	}
}

// TestUncuttableDestination: part of a line stuck in a pipe is not followed by
// more lines glued to it; everything after it counts as lost.
func TestUncuttableDestination(t *testing.T) {
	t.Parallel()
	p := &pipe{limit: 50}
	out := NewJSONOutput(p)
	r := NewRegistry()
	r.SetStart(t0)
	s := r.NewSink()
	for sec := 1; sec <= 3; sec++ {
		s.Add(r.Builtins().HTTPReqs, Tags{}, 1)
		if err := out.AddInterval(r.CollectAt(t0.Add(time.Duration(sec) * time.Second))); err == nil {
			t.Fatalf("second %d: AddInterval succeeded", sec)
		}
		p.limit = 1 << 20
	}
	var lost *LostDataError
	if err := out.Close(); !errors.As(err, &lost) || lost.Lost != 3 {
		t.Errorf("Close = %v, want 3 of 3 lost", err)
	}
	if p.Len() != 50 {
		t.Errorf("%d bytes reached the pipe, want only the 50 of the first write", p.Len())
	}
}

// TestDevFull: /dev/full fails every write with ENOSPC.
func TestDevFull(t *testing.T) {
	t.Parallel()
	if _, err := os.Stat("/dev/full"); err != nil {
		t.Skip("no /dev/full")
	}
	out, err := OpenOutput("json=/dev/full")
	if err != nil {
		t.Fatal(err)
	}
	r := NewRegistry()
	s := r.NewSink()
	s.Add(r.Builtins().HTTPReqs, Tags{}, 1)
	if err := out.AddInterval(r.Collect()); !errors.Is(err, syscall.ENOSPC) {
		t.Errorf("AddInterval = %v, want ENOSPC", err)
	}
	var lost *LostDataError
	if err := out.Close(); !errors.As(err, &lost) || lost.File != "/dev/full" {
		t.Errorf("Close = %v", err)
	}
}
