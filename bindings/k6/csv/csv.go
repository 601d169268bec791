// Package csv is k6/experimental/csv: parse(file, options) reads a whole CSV file
// into a read-only array shared by every VU, and new Parser(file, options) reads
// it row by row, each VU from its own start. Both are backed by jsload's data
// tables (dict.Table: RFC 4180, read once per run and kept in one shared block
// of memory), so a file parsed by many VUs is parsed once.
package csv

import (
	"bytes"
	"fmt"
	"strconv"
	"sync"
	"unicode/utf8"

	"github.com/dop251/goja"

	"github.com/jsload/jsload/bindings"
	"github.com/jsload/jsload/bindings/k6/fs"
	"github.com/jsload/jsload/dict"
)

// options are k6's parse and Parser options.
type options struct {
	delimiter     rune
	skipFirstLine bool
	fromLine      int // 0-based, inclusive
	toLine        int // 0-based, inclusive; -1 for the end
	asObjects     bool
}

// Module builds the exports of k6/experimental/csv for h's runtime.
func Module(h bindings.Host) *goja.Object {
	rt := h.Goja()
	o := rt.NewObject()
	_ = o.Set("parse", func(call goja.FunctionCall) goja.Value {
		p, resolve, reject := rt.NewPromise()
		v, err := parse(h, call.Argument(0), call.Argument(1))
		if err != nil {
			_ = reject(rt.NewGoError(fmt.Errorf("csv.parse: %w", err)))
		} else {
			_ = resolve(v)
		}
		return rt.ToValue(p)
	})
	_ = o.Set("Parser", func(call goja.ConstructorCall) *goja.Object {
		r, err := newRows(h, call.Argument(0), call.Argument(1))
		if err != nil {
			bindings.Throw(rt, fmt.Errorf("new csv.Parser: %w", err))
		}
		return newParser(rt, r)
	})
	return o
}

// rows is the part of a table the options select, in one runtime.
type rows struct {
	rt     *goja.Runtime
	t      *dict.Table
	header []string // asObjects: the first line's fields
	from   int      // the first row of the table that is data
	to     int      // one past the last
	freeze goja.Callable
}

func newRows(h bindings.Host, fileV, optsV goja.Value) (*rows, error) {
	rt := h.Goja()
	f, ok := fileV.Export().(*fs.File)
	if !ok {
		return nil, fmt.Errorf("the first argument must be a file of k6/experimental/fs's open(), got %s", fileV)
	}
	opts, err := readOptions(optsV)
	if err != nil {
		return nil, err
	}
	t, err := table(h, f, opts.delimiter)
	if err != nil {
		return nil, err
	}
	r := &rows{rt: rt, t: t, from: 0, to: t.Len()}
	r.freeze, _ = goja.AssertFunction(rt.Get("Object").ToObject(rt).Get("freeze"))
	if opts.asObjects && r.to > 0 {
		r.header, r.from = t.Row(0), 1
	}
	if opts.skipFirstLine && !opts.asObjects {
		r.from = 1
	}
	r.from = max(r.from, opts.fromLine)
	if opts.toLine >= 0 {
		r.to = min(r.to, opts.toLine+1)
	}
	r.to = max(r.to, r.from)
	return r, nil
}

func readOptions(v goja.Value) (options, error) {
	o := options{delimiter: ',', toLine: -1}
	obj, ok := v.(*goja.Object)
	if !ok {
		return o, nil
	}
	for _, k := range obj.Keys() {
		val := obj.Get(k)
		switch k {
		case "delimiter":
			s := val.String()
			r, n := utf8.DecodeRuneInString(s)
			if n == 0 || n != len(s) {
				return o, fmt.Errorf("delimiter %q: want one character", s)
			}
			o.delimiter = r
		case "skipFirstLine":
			o.skipFirstLine = val.ToBoolean()
		case "fromLine":
			o.fromLine = int(val.ToInteger())
		case "toLine":
			o.toLine = int(val.ToInteger())
		case "asObjects":
			o.asObjects = val.ToBoolean()
		default:
			return o, fmt.Errorf("unknown option %q: want delimiter, skipFirstLine, fromLine, toLine or asObjects", k)
		}
	}
	if o.fromLine < 0 || (o.toLine >= 0 && o.toLine < o.fromLine) {
		return o, fmt.Errorf("fromLine %d and toLine %d: want 0 ≤ fromLine ≤ toLine", o.fromLine, o.toLine)
	}
	return o, nil
}

// row returns row i of the table (an index of this selection) as an array, or
// an object with asObjects, frozen.
func (r *rows) row(i int) goja.Value {
	cells := r.t.Row(r.from + i)
	var v *goja.Object
	if r.header != nil {
		v = r.rt.NewObject()
		for j, h := range r.header {
			if j < len(cells) {
				_ = v.Set(h, cells[j])
			}
		}
	} else {
		items := make([]any, len(cells))
		for j, c := range cells {
			items[j] = c
		}
		v = r.rt.NewArray(items...)
	}
	_, _ = r.freeze(goja.Undefined(), v)
	return v
}

func (r *rows) len() int { return r.to - r.from }

type tablesKey struct{}

// tables are the run's parsed CSV files, by path and delimiter. Safe for
// concurrent use.
type tables struct {
	mu sync.Mutex
	m  map[string]*entry
}

type entry struct {
	once sync.Once
	t    *dict.Table
	err  error
}

// table returns f's contents parsed, once per run.
func table(h bindings.Host, f *fs.File, sep rune) (*dict.Table, error) {
	ts := h.TestLocal(tablesKey{}, func() any { return &tables{m: map[string]*entry{}} }).(*tables)
	key := f.Path + "\x00" + strconv.QuoteRune(sep)
	ts.mu.Lock()
	e := ts.m[key]
	if e == nil {
		e = &entry{}
		ts.m[key] = e
	}
	ts.mu.Unlock()
	e.once.Do(func() {
		e.t, e.err = dict.ReadTable(bytes.NewReader(f.Data), f.Path, dict.TableOptions{Separator: sep, NoHeader: true})
	})
	return e.t, e.err
}
