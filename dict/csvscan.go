package dict

import (
	"bufio"
	"bytes"
	"encoding/csv"
	"errors"
	"io"
	"unicode/utf8"
)

// scanner reads CSV records with exactly the rules of encoding/csv (strict
// quotes, no comments, no leading-space trimming), but into reused buffers:
// reading a record allocates nothing, so loading a large table makes no
// garbage and its resident memory stays near the table's own size.
// encoding/csv allocates a string per record, which with the large table
// buffer already live lets the heap grow to about twice the file size.
type scanner struct {
	r      *bufio.Reader
	sep    rune
	sepLen int
	line   int    // lines read so far
	raw    []byte // a line longer than the bufio buffer
	rec    []byte // the fields of the current record, end to end
	ends   []int  // where each field ends in rec
	pos    []position
}

// errUnclosed is the scanner's one departure from encoding/csv's errors: a
// quoted field still open at the end of the file is reported where it opens,
// not at the end of the file.
var errUnclosed = errors.New("quoted field never closed")

// position is where a field starts: 1-based line and byte column.
type position struct{ line, col int }

func newScanner(r *bufio.Reader, sep rune) *scanner {
	return &scanner{r: r, sep: sep, sepLen: utf8.RuneLen(sep)}
}

// field returns field i of the current record.
func (s *scanner) field(i int) []byte {
	start := 0
	if i > 0 {
		start = s.ends[i-1]
	}
	return s.rec[start:s.ends[i]]
}

// readLine reads one line, with \r\n normalised to \n and a \r before EOF
// dropped; err is io.EOF only when nothing was read.
func (s *scanner) readLine() ([]byte, error) {
	line, err := s.r.ReadSlice('\n')
	if err == bufio.ErrBufferFull {
		s.raw = append(s.raw[:0], line...)
		for err == bufio.ErrBufferFull {
			line, err = s.r.ReadSlice('\n')
			s.raw = append(s.raw, line...)
		}
		line = s.raw
	}
	if n := len(line); n > 0 && err == io.EOF {
		err = nil
		if line[n-1] == '\r' {
			line = line[:n-1]
		}
	}
	s.line++
	if n := len(line); n >= 2 && line[n-2] == '\r' && line[n-1] == '\n' {
		line[n-2] = '\n'
		line = line[:n-1]
	}
	return line, err
}

func lengthNL(b []byte) int {
	if len(b) > 0 && b[len(b)-1] == '\n' {
		return 1
	}
	return 0
}

// next reads the next record into s.rec/s.ends/s.pos, skipping empty lines.
// It returns io.EOF after the last record and a *csv.ParseError for a
// malformed one.
func (s *scanner) next() error {
	var line []byte
	var errRead error
	for errRead == nil {
		line, errRead = s.readLine()
		if errRead == nil && len(line) == lengthNL(line) {
			continue // empty line
		}
		break
	}
	if errRead == io.EOF {
		return io.EOF
	}
	s.rec, s.ends, s.pos = s.rec[:0], s.ends[:0], s.pos[:0]
	recLine := s.line
	pos := position{line: s.line, col: 1}
	for {
		if len(line) == 0 || line[0] != '"' { // unquoted field
			i := bytes.IndexRune(line, s.sep)
			field := line
			if i >= 0 {
				field = field[:i]
			} else {
				field = field[:len(field)-lengthNL(field)]
			}
			if j := bytes.IndexByte(field, '"'); j >= 0 {
				return &csv.ParseError{StartLine: recLine, Line: s.line, Column: pos.col + j, Err: csv.ErrBareQuote}
			}
			s.add(field, pos)
			if i < 0 {
				return errRead
			}
			line = line[i+s.sepLen:]
			pos.col += i + s.sepLen
			continue
		}
		more, err := s.quoted(&line, &pos, &errRead, recLine)
		if err != nil || !more {
			if err == nil {
				err = errRead
			}
			return err
		}
	}
}

// add appends a complete field.
func (s *scanner) add(field []byte, at position) {
	s.rec = append(s.rec, field...)
	s.ends = append(s.ends, len(s.rec))
	s.pos = append(s.pos, at)
}

// quoted reads a quoted field starting at *line (which begins with '"'),
// across lines if needed. more reports whether another field follows on the
// same record.
func (s *scanner) quoted(line *[]byte, pos *position, errRead *error, recLine int) (more bool, err error) {
	start := *pos
	*line = (*line)[1:]
	pos.col++
	for {
		l := *line
		if i := bytes.IndexByte(l, '"'); i >= 0 {
			s.rec = append(s.rec, l[:i]...)
			l = l[i+1:]
			pos.col += i + 1
			rn, _ := utf8.DecodeRune(l)
			switch {
			case len(l) > 0 && rn == '"': // "" is a quote
				s.rec = append(s.rec, '"')
				l = l[1:]
				pos.col++
			case len(l) > 0 && rn == s.sep: // ", ends the field
				*line = l[s.sepLen:]
				pos.col += s.sepLen
				s.finish(start)
				return true, nil
			case lengthNL(l) == len(l): // "\n ends the record
				s.finish(start)
				return false, nil
			default:
				return false, &csv.ParseError{StartLine: recLine, Line: s.line, Column: pos.col - 1, Err: csv.ErrQuote}
			}
			*line = l
			continue
		}
		if len(l) > 0 { // the field goes on past the end of the line
			s.rec = append(s.rec, l...)
			if *errRead != nil {
				s.finish(start)
				return false, nil
			}
			pos.col += len(l)
			nl, e := s.readLine()
			if len(nl) > 0 {
				pos.line++
				pos.col = 1
			}
			if e == io.EOF {
				e = nil
			}
			*line, *errRead = nl, e
			continue
		}
		if *errRead == nil { // end of file inside quotes: point at the opening quote
			return false, &csv.ParseError{StartLine: recLine, Line: start.line, Column: start.col, Err: errUnclosed}
		}
		s.finish(start)
		return false, nil
	}
}

// finish closes the quoted field that started at at.
func (s *scanner) finish(at position) {
	s.ends = append(s.ends, len(s.rec))
	s.pos = append(s.pos, at)
}
