package sse

import (
	"bufio"
	"bytes"
	"io"
	"strconv"
	"strings"
)

// maxLine bounds one line of an event stream (a data: line of one event);
// a longer one fails the connection.
const maxLine = 4 << 20

// message is one event of a stream, as dispatched.
type message struct {
	typ  string // "message" unless an event: field named it
	data string
	id   string // the stream's last event ID once this event was dispatched
}

// parser interprets an event stream as the WHATWG HTML standard says
// ("Interpreting an event stream"): lines end with CRLF, LF or CR; a blank line
// dispatches the event being built; data: lines join with LF; a line starting
// with a colon is a comment; id: sets the last event ID (unless it holds a
// NUL), retry: the reconnection time (when it is all digits); unknown fields
// are ignored; an event the stream ends in the middle of is dropped.
type parser struct {
	sc      *bufio.Scanner
	first   bool
	typ     strings.Builder
	data    strings.Builder
	idBuf   string // the last event ID buffer
	retry   int64  // the latest retry: field in ms, or -1
	lastID  string
	hasData bool
}

func newParser(r io.Reader, lastID string) *parser {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 0, 4096), maxLine)
	sc.Split(splitLines)
	return &parser{sc: sc, first: true, idBuf: lastID, lastID: lastID, retry: -1}
}

// next returns the next event; io.EOF when the stream ended, another error
// when reading failed. After each call, retry holds the latest retry: field.
func (p *parser) next() (message, error) {
	for p.sc.Scan() {
		line := p.sc.Text()
		if p.first {
			p.first = false
			line = strings.TrimPrefix(line, "\ufeff")
		}
		if line == "" {
			if m, ok := p.dispatch(); ok {
				return m, nil
			}
			continue
		}
		p.field(line)
	}
	if err := p.sc.Err(); err != nil {
		return message{}, err
	}
	return message{}, io.EOF
}

func (p *parser) field(line string) {
	name, value, found := strings.Cut(line, ":")
	if found {
		value = strings.TrimPrefix(value, " ")
	}
	switch name {
	case "": // a comment
	case "event":
		p.typ.Reset()
		p.typ.WriteString(value)
	case "data":
		p.data.WriteString(value)
		p.data.WriteByte('\n')
		p.hasData = true
	case "id":
		if !strings.ContainsRune(value, 0) {
			p.idBuf = value
		}
	case "retry":
		if value != "" && strings.Trim(value, "0123456789") == "" {
			if n, err := strconv.ParseInt(value, 10, 64); err == nil {
				p.retry = n
			}
		}
	}
}

// dispatch ends the event being built at a blank line; false when it has no
// data (nothing is dispatched, but its id still counts).
func (p *parser) dispatch() (message, bool) {
	p.lastID = p.idBuf
	defer func() {
		p.typ.Reset()
		p.data.Reset()
		p.hasData = false
	}()
	if !p.hasData {
		return message{}, false
	}
	data := strings.TrimSuffix(p.data.String(), "\n")
	typ := p.typ.String()
	if typ == "" {
		typ = "message"
	}
	return message{typ: typ, data: data, id: p.lastID}, true
}

// splitLines is a bufio.SplitFunc for lines ended by CRLF, LF or a lone CR.
func splitLines(data []byte, atEOF bool) (int, []byte, error) {
	i := bytes.IndexAny(data, "\r\n")
	switch {
	case i < 0:
		if atEOF && len(data) > 0 {
			return len(data), nil, nil // an unterminated last line is no line
		}
		return 0, nil, nil
	case data[i] == '\n':
		return i + 1, data[:i], nil
	case i+1 < len(data):
		if data[i+1] == '\n' {
			return i + 2, data[:i], nil
		}
		return i + 1, data[:i], nil
	case atEOF:
		return i + 1, data[:i], nil
	}
	return 0, nil, nil // a CR at the end of the buffer: an LF may follow
}
