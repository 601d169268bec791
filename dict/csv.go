package dict

import (
	"bufio"
	"bytes"
	"encoding/binary"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"unicode/utf8"
	"unsafe"

	"golang.org/x/text/encoding/htmlindex"
)

// TableOptions says how to read a CSV file. The zero value reads a
// comma-separated file whose first line names the columns.
type TableOptions struct {
	// Separator is the field separator; 0 means ','. It must be a single
	// valid rune other than '"', '\r' and '\n'.
	Separator rune
	// NoHeader says the first line is data, not column names. The columns
	// are then named col1, col2, ... colN.
	NoHeader bool
	// Encoding is the file's character encoding by its WHATWG label
	// ("windows-1252", "latin1", "shift_jis", "utf-16le"...); "" is UTF-8.
	// Cells are decoded to UTF-8 as the file is read.
	Encoding string
}

// Table is a CSV data source loaded into read-only memory shared by every VU.
// It is safe for concurrent use. All cells live in one string, each row a run
// of length-prefixed cells, indexed by one uint32 offset per row: about the
// file's size plus 4 bytes per row. Row strings are substrings of that one
// string, so reading a row copies no cell data.
type Table struct {
	name string
	cols []string
	data string
	rows []uint32 // rows[i] is where row i starts in data; rows[Len()] == len(data)
	// badLine is the first line with bytes that are not UTF-8 (0 for none),
	// badRecords the number of records (the header included) with such bytes.
	badLine, badRecords int
}

// LoadTable reads the CSV file at path (RFC 4180: quoted fields, doubled
// quotes, separators and line breaks inside quotes; CRLF or LF line ends; a
// UTF-8 byte-order mark is skipped; blank lines are skipped). Every row must
// have as many fields as the first line, header names must be non-empty and
// unique (surrounding spaces are trimmed). Errors are *[SourceError] with
// path:line:col where the file is at fault.
func LoadTable(path string, opts TableOptions) (*Table, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, openError("data table", path, err)
	}
	defer f.Close()
	var size int64
	if st, err := f.Stat(); err == nil {
		size = st.Size()
	}
	return readTable(f, path, opts, size)
}

// openError words a failure to open a data file.
func openError(what, path string, err error) error {
	if errors.Is(err, os.ErrNotExist) {
		return &SourceError{File: path, Err: err,
			Msg: fmt.Sprintf("%s file not found: check the path (relative paths start from the script's folder)", what)}
	}
	return fmt.Errorf("open %s: %w", what, err)
}

// ReadTable reads CSV from r as [LoadTable] does; name labels errors.
func ReadTable(r io.Reader, name string, opts TableOptions) (*Table, error) {
	return readTable(r, name, opts, 0)
}

var bom = []byte{0xEF, 0xBB, 0xBF}

// readTable parses r; sizeHint (the file size, if known) pre-sizes the cell
// buffer so that it is not regrown, keeping peak memory near the file size.
func readTable(r io.Reader, name string, opts TableOptions, sizeHint int64) (*Table, error) {
	sep := opts.Separator
	if sep == 0 {
		sep = ','
	}
	if sep == '"' || sep == '\r' || sep == '\n' || sep == utf8.RuneError || !utf8.ValidRune(sep) {
		return nil, fmt.Errorf("%s: invalid separator %q: use one character other than a quote or a line break", name, sep)
	}
	r, err := decodeFrom(r, opts.Encoding)
	if err != nil {
		return nil, &SourceError{File: name, Msg: err.Error()}
	}
	br := bufio.NewReaderSize(r, 64<<10)
	if b, _ := br.Peek(len(bom)); bytes.Equal(b, bom) {
		_, _ = br.Discard(len(bom))
	}
	sc := newScanner(br, sep)

	t := &Table{name: name}
	err = t.next(sc)
	if err == io.EOF {
		return nil, &SourceError{File: name, Msg: "the file is empty: add a header line naming the columns, then one line per row"}
	}
	if err != nil {
		return nil, csvError(name, err)
	}
	buf := make([]byte, 0, max(sizeHint+sizeHint/64, 4096))
	if opts.NoHeader {
		for i := range sc.ends {
			t.cols = append(t.cols, "col"+strconv.Itoa(i+1))
		}
		buf = t.appendRow(buf, sc)
	} else if err := t.setHeader(sc); err != nil {
		return nil, err
	}
	for {
		err := t.next(sc)
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, csvError(name, err)
		}
		if len(sc.ends) != len(t.cols) {
			return nil, &SourceError{File: name, Line: sc.pos[0].line, Msg: fmt.Sprintf(
				"row has %d fields but the %s has %d: quote fields that contain %q, or fix the row",
				len(sc.ends), firstLine(opts.NoHeader), len(t.cols), sep)}
		}
		buf = t.appendRow(buf, sc)
		if len(buf) > math.MaxUint32 {
			return nil, &SourceError{File: name, Msg: "more than 4 GiB of cell data: split the file"}
		}
	}
	t.rows = append(t.rows, uint32(len(buf)))
	t.rows = append([]uint32(nil), t.rows...) // drop the growth slack
	if cap(buf)-len(buf) > len(buf)/8+4096 {
		buf = append([]byte(nil), buf...)
	}
	// buf is never written again, so it can back the string without a copy.
	t.data = unsafe.String(unsafe.SliceData(buf), len(buf))
	return t, nil
}

// next reads the next record and notes whether it holds bytes that are not
// UTF-8, which scripts would see as U+FFFD.
func (t *Table) next(sc *scanner) error {
	err := sc.next()
	if err == nil && !utf8.Valid(sc.rec) {
		if t.badRecords++; t.badLine == 0 {
			t.badLine = sc.pos[0].line
			for i := range sc.ends {
				if !utf8.Valid(sc.field(i)) {
					t.badLine = sc.pos[i].line
					break
				}
			}
		}
	}
	return err
}

// decodeFrom returns r decoded to UTF-8 from the encoding labelled enc.
func decodeFrom(r io.Reader, enc string) (io.Reader, error) {
	if enc == "" {
		return r, nil
	}
	e, err := htmlindex.Get(enc)
	if err != nil {
		return nil, fmt.Errorf("unknown encoding %q: use a name such as 'utf-8', 'windows-1252', 'latin1', 'iso-8859-15', 'shift_jis' or 'utf-16le'", enc)
	}
	if name, _ := htmlindex.Name(e); name == "utf-8" {
		return r, nil
	}
	return e.NewDecoder().Reader(r), nil
}

// InvalidUTF8 reports the bytes of the file that are not UTF-8 (scripts see
// each such byte as U+FFFD): the first line holding some, 0 when there are
// none, and the number of records (rows, the header included) holding some.
func (t *Table) InvalidUTF8() (firstLine, records int) { return t.badLine, t.badRecords }

// EncodingWarning is the warning to log about a table that holds bytes that
// are not UTF-8, "" when it holds none.
func (t *Table) EncodingWarning() string {
	if t.badLine == 0 {
		return ""
	}
	rows := "1 row"
	if t.badRecords > 1 {
		rows = fmt.Sprintf("%d rows, the first here", t.badRecords)
	}
	return (&SourceError{File: t.name, Line: t.badLine, Msg: fmt.Sprintf(
		"bytes that are not UTF-8 (%s): scripts see each as U+FFFD (\uFFFD): save the file as UTF-8, or name its encoding, e.g. { file: '%s', encoding: 'windows-1252' }",
		rows, filepath.Base(t.name))}).Error()
}

func firstLine(noHeader bool) string {
	if noHeader {
		return "first row"
	}
	return "header"
}

// setHeader takes the column names from the scanner's record.
func (t *Table) setHeader(sc *scanner) error {
	index := make(map[string]int, len(sc.ends)) // column name → position
	for i := range sc.ends {
		c := strings.TrimSpace(string(sc.field(i)))
		line, col := sc.pos[i].line, sc.pos[i].col
		if c == "" {
			return &SourceError{File: t.name, Line: line, Col: col, Msg: fmt.Sprintf(
				"column %d has no name: name every column in the header line, or set header: false", i+1)}
		}
		if j, dup := index[c]; dup {
			return &SourceError{File: t.name, Line: line, Col: col, Msg: fmt.Sprintf(
				"duplicate column name %q (columns %d and %d): column names become dictionary keys and must be unique", c, j+1, i+1)}
		}
		index[c] = i
		t.cols = append(t.cols, c)
	}
	return nil
}

// appendRow records a row's start and appends the scanner's record as
// length-prefixed cells.
func (t *Table) appendRow(buf []byte, sc *scanner) []byte {
	t.rows = append(t.rows, uint32(len(buf)))
	for i := range sc.ends {
		c := sc.field(i)
		buf = binary.AppendUvarint(buf, uint64(len(c)))
		buf = append(buf, c...)
	}
	return buf
}

// csvError turns a scanner error (a *csv.ParseError, as encoding/csv makes) into a *SourceError with advice.
func csvError(name string, err error) error {
	var pe *csv.ParseError
	if !errors.As(err, &pe) {
		return fmt.Errorf("read %s: %w", name, err)
	}
	msg := pe.Err.Error()
	switch {
	case errors.Is(pe.Err, csv.ErrBareQuote):
		msg = `a quote (") inside an unquoted field: quote the whole field and double each quote inside it, e.g. "say ""hi"""`
	case errors.Is(pe.Err, errUnclosed):
		msg = `a quoted field opens here and is never closed: add the closing quote, and double each quote inside the field`
	case errors.Is(pe.Err, csv.ErrQuote):
		msg = `a quoted field is not closed, or has text after its closing quote: close the quote and double each quote inside the field`
	}
	if pe.StartLine != pe.Line {
		msg += fmt.Sprintf(" (the row starts on line %d)", pe.StartLine)
	}
	return &SourceError{File: name, Line: pe.Line, Col: pe.Column, Msg: msg, Err: pe.Err}
}

// Name returns the file name the table was loaded from.
func (t *Table) Name() string { return t.name }

// Len returns the number of data rows (the header is not a row).
func (t *Table) Len() int { return len(t.rows) - 1 }

// Columns returns the column names in file order. The slice is shared: do not
// modify it.
func (t *Table) Columns() []string { return t.cols }

// Row returns the cells of row i (0-based) in a new slice. It panics if i is
// out of range, like a slice index.
func (t *Table) Row(i int) []string {
	return t.AppendRow(make([]string, 0, len(t.cols)), i)
}

// AppendRow appends the cells of row i to dst and returns it.
func (t *Table) AppendRow(dst []string, i int) []string {
	for p, end := int(t.rows[i]), int(t.rows[i+1]); p < end; {
		var c string
		c, p = t.cell(p)
		dst = append(dst, c)
	}
	return dst
}

// Fill stores row i into dst, column name → cell (a string).
func (t *Table) Fill(i int, dst map[string]any) {
	p := int(t.rows[i])
	for _, name := range t.cols {
		var c string
		c, p = t.cell(p)
		dst[name] = c
	}
}

// cell decodes the length-prefixed cell at p and returns it and the position
// after it.
func (t *Table) cell(p int) (string, int) {
	var n uint64
	for shift := 0; ; shift += 7 {
		b := t.data[p]
		p++
		n |= uint64(b&0x7f) << shift
		if b < 0x80 {
			break
		}
	}
	return t.data[p : p+int(n)], p + int(n)
}
