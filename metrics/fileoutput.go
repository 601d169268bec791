package metrics

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"sync"
)

// fileOutput is the writer shared by the NDJSON and CSV outputs. Each batch of
// rows (one collection interval, or the totals) is encoded in memory and
// written in one call, so a crash loses at most that batch and every line in
// the file is complete. A batch the destination takes only in part (a full
// disk) is cut back off a file, so that no half line is left, and counted as
// lost; later batches are tried again, since a disk may have room again, and
// Close reports the loss as a *LostDataError.
type fileOutput struct {
	mu     sync.Mutex
	dst    io.Writer
	name   string       // the destination's file name, for messages
	header []byte       // the CSV header, written with the first batch that is written
	buf    bytes.Buffer // the batch being written
	encode func(io.Writer, []row) error

	written  int64 // bytes of the batches written whole
	batches  int   // batches given
	lost     int   // batches not written
	lostLast bool  // the last batch given (the totals, at the end) was lost
	writeErr error // the first write error
	broken   bool  // part of a batch stayed in a destination that cannot be cut back: write no more

	closed   bool
	closeErr error // what Close returned, returned again by later calls
}

func newFileOutput(w io.Writer, encode func(io.Writer, []row) error) *fileOutput {
	name := "output"
	if n, ok := w.(interface{ Name() string }); ok {
		name = n.Name()
	}
	return &fileOutput{dst: w, name: name, encode: encode}
}

// truncater is a destination a failed write can be cut back off (an *os.File).
type truncater interface {
	Truncate(size int64) error
	Seek(offset int64, whence int) (int64, error)
}

func (o *fileOutput) write(kind string, s *Snapshot) error {
	o.mu.Lock()
	defer o.mu.Unlock()
	if o.closed {
		return ErrOutputClosed
	}
	o.batches++
	if err := o.encode(&o.buf, rows(kind, s)); err != nil {
		o.buf.Reset()
		return o.lose(err)
	}
	return o.flush()
}

// flush writes the header, if still unwritten, and the buffered batch in one
// call, whole, or loses the batch. The caller holds mu.
func (o *fileOutput) flush() error {
	data := o.buf.Bytes()
	if o.header != nil {
		data = append(o.header[:len(o.header):len(o.header)], data...)
	}
	o.buf.Reset()
	if len(data) == 0 {
		o.lostLast = false
		return nil
	}
	if o.broken {
		return o.lose(o.writeErr)
	}
	n, err := o.dst.Write(data)
	if err == nil && n < len(data) {
		err = io.ErrShortWrite
	}
	if err == nil {
		o.written += int64(n)
		o.header = nil
		o.lostLast = false
		return nil
	}
	if n > 0 {
		o.cutBack()
	}
	return o.lose(fmt.Errorf("write %s: %w", o.name, err))
}

// cutBack removes the part of a batch the destination took; when it cannot,
// nothing more is written, as it would follow a half line. The caller holds mu.
func (o *fileOutput) cutBack() {
	t, ok := o.dst.(truncater)
	if ok && t.Truncate(o.written) == nil {
		if _, err := t.Seek(o.written, io.SeekStart); err == nil {
			return
		}
	}
	o.broken = true
}

// lose counts the batch being written as lost. The caller holds mu.
func (o *fileOutput) lose(err error) error {
	o.lost++
	o.lostLast = true
	if o.writeErr == nil {
		o.writeErr = err
	}
	return fmt.Errorf("%w: these metrics are lost (every line written is complete)", err)
}

// AddInterval writes one row per series of the interval s.
func (o *fileOutput) AddInterval(s *Snapshot) error { return o.write(rowInterval, s) }

// AddTotals writes one row per series of the run totals s.
func (o *fileOutput) AddTotals(s *Snapshot) error { return o.write(rowTotal, s) }

// Close writes what is buffered (a CSV header with no rows) and, when the
// destination is an io.Closer, closes it. It returns a *LostDataError when
// batches were lost. It is idempotent: later calls return what the first one
// did, so a caller other than the one that closed can still learn of a loss.
func (o *fileOutput) Close() error {
	o.mu.Lock()
	defer o.mu.Unlock()
	if o.closed {
		return o.closeErr
	}
	o.closed = true
	var errs []error
	if o.header != nil && o.batches == 0 {
		o.batches++ // a CSV file with a header and no rows
		_ = o.flush()
	}
	if o.lost > 0 {
		errs = append(errs, &LostDataError{File: o.name, Lost: o.lost, Batches: o.batches, TotalsLost: o.lostLast, Err: o.writeErr})
	}
	if c, ok := o.dst.(io.Closer); ok {
		if err := c.Close(); err != nil {
			errs = append(errs, fmt.Errorf("close %s: %w", o.name, err))
		}
	}
	o.closeErr = errors.Join(errs...)
	return o.closeErr
}

// LostDataError says a file output could not write everything it was given:
// the lines it holds are complete, but some collection intervals (and maybe
// the totals) are missing.
type LostDataError struct {
	File       string
	Lost       int  // batches not written: collection intervals, and the totals
	Batches    int  // batches given
	TotalsLost bool // the last batch, the totals of a run that ended normally, is among the lost
	Err        error
}

// Error implements error.
func (e *LostDataError) Error() string {
	totals := ""
	if e.TotalsLost {
		totals = ", the totals among them"
	}
	return fmt.Sprintf("%s lost %d of %d writes%s (%v): every line in it is complete, but those metrics are missing; free disk space or write elsewhere",
		e.File, e.Lost, e.Batches, totals, e.Err)
}

// Unwrap returns the first write error.
func (e *LostDataError) Unwrap() error { return e.Err }
