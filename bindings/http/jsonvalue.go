package http

import (
	"encoding/json"
	"strconv"
	"strings"

	"github.com/dop251/goja"
)

// JSON bodies. res.json() builds the JavaScript value straight from the body
// text (jsonToValue) instead of calling JSON.parse: goja's JSON.parse reads its
// input through encoding/json's token stream, which boxes every token in an
// interface and copies every string, and cost most of a small JSON response's
// time in the binding. The result is the value JSON.parse gives: the same
// strings (ASCII strings without escapes are slices of the body; others are
// unquoted by encoding/json, as goja's JSON.parse unquotes them), numbers
// (strconv.ParseFloat, what encoding/json uses), own data properties in the
// order of their first appearance (the last duplicate's value wins, __proto__
// is an ordinary key) and arrays. On anything else (invalid JSON, a number out
// of range, nesting deeper than encoding/json accepts) it gives up, and
// JSON.parse parses the body again, so that its errors stay what they were.

// maxJSONDepth is encoding/json's nesting limit, which JSON.parse inherits.
const maxJSONDepth = 10000

// maxSharedJSON is the size of the largest body whose strings are slices of
// it; the strings of a larger one are copied, so that a small value kept by the
// script (a token in the VU's dictionary) does not keep a large body alive.
const maxSharedJSON = 4 << 10

// jsonParser reads one JSON text into values of one runtime.
type jsonParser struct {
	rt    *goja.Runtime
	s     string
	i     int
	depth int
	clone bool          // copy strings out of s (a large body)
	items []interface{} // the elements of the arrays being read, innermost last
}

// jsonToValue returns the value of JSON text s, or false when s is not JSON
// this parser reads as JSON.parse would (then call JSON.parse for its error).
func jsonToValue(rt *goja.Runtime, s string) (goja.Value, bool) {
	p := jsonParser{rt: rt, s: s, clone: len(s) > maxSharedJSON}
	v, ok := p.value()
	if !ok {
		return nil, false
	}
	p.space()
	return v, p.i == len(s)
}

func (p *jsonParser) space() {
	for p.i < len(p.s) {
		switch p.s[p.i] {
		case ' ', '\t', '\n', '\r':
			p.i++
		default:
			return
		}
	}
}

func (p *jsonParser) value() (goja.Value, bool) {
	p.space()
	if p.i >= len(p.s) {
		return nil, false
	}
	switch c := p.s[p.i]; {
	case c == '{':
		return p.object()
	case c == '[':
		return p.array()
	case c == '"':
		s, ok := p.str()
		if !ok {
			return nil, false
		}
		return p.rt.ToValue(s), true
	case c == '-' || ('0' <= c && c <= '9'):
		return p.number()
	case strings.HasPrefix(p.s[p.i:], "true"):
		p.i += 4
		return p.rt.ToValue(true), true
	case strings.HasPrefix(p.s[p.i:], "false"):
		p.i += 5
		return p.rt.ToValue(false), true
	case strings.HasPrefix(p.s[p.i:], "null"):
		p.i += 4
		return goja.Null(), true
	}
	return nil, false
}

func (p *jsonParser) object() (goja.Value, bool) {
	if p.depth++; p.depth > maxJSONDepth {
		return nil, false
	}
	defer func() { p.depth-- }()
	p.i++ // {
	obj := p.rt.NewObject()
	p.space()
	if p.i < len(p.s) && p.s[p.i] == '}' {
		p.i++
		return obj, true
	}
	for {
		p.space()
		if p.i >= len(p.s) || p.s[p.i] != '"' {
			return nil, false
		}
		key, ok := p.str()
		if !ok {
			return nil, false
		}
		p.space()
		if p.i >= len(p.s) || p.s[p.i] != ':' {
			return nil, false
		}
		p.i++
		v, ok := p.value()
		if !ok {
			return nil, false
		}
		// An own data property, as JSON.parse makes: never a setter's call
		// (__proto__, or one a script put on Object.prototype).
		if obj.DefineDataProperty(key, v, goja.FLAG_TRUE, goja.FLAG_TRUE, goja.FLAG_TRUE) != nil {
			return nil, false
		}
		p.space()
		if p.i >= len(p.s) {
			return nil, false
		}
		switch p.s[p.i] {
		case ',':
			p.i++
		case '}':
			p.i++
			return obj, true
		default:
			return nil, false
		}
	}
}

func (p *jsonParser) array() (goja.Value, bool) {
	if p.depth++; p.depth > maxJSONDepth {
		return nil, false
	}
	defer func() { p.depth-- }()
	p.i++ // [
	start := len(p.items)
	defer func() {
		clear(p.items[start:])
		p.items = p.items[:start]
	}()
	p.space()
	if p.i < len(p.s) && p.s[p.i] == ']' {
		p.i++
		return p.rt.NewArray(), true
	}
	for {
		v, ok := p.value()
		if !ok {
			return nil, false
		}
		p.items = append(p.items, v)
		p.space()
		if p.i >= len(p.s) {
			return nil, false
		}
		switch p.s[p.i] {
		case ',':
			p.i++
		case ']':
			p.i++
			return p.rt.NewArray(p.items[start:]...), true
		default:
			return nil, false
		}
	}
}

// str reads a string at p.i (its opening quote): printable ASCII without
// escapes as it is, anything else through encoding/json.
func (p *jsonParser) str() (string, bool) {
	start := p.i + 1
	plain := true
	i := start
	for ; i < len(p.s); i++ {
		c := p.s[i]
		if c == '"' {
			break
		}
		if c == '\\' {
			plain = false
			i++ // the escaped byte is never the closing quote
			continue
		}
		if c < ' ' {
			return "", false // a control character: not JSON
		}
		if c >= 0x80 {
			plain = false
		}
	}
	if i >= len(p.s) {
		return "", false
	}
	p.i = i + 1
	if plain {
		s := p.s[start:i]
		if p.clone {
			s = strings.Clone(s)
		}
		return s, true
	}
	var s string
	if json.Unmarshal([]byte(p.s[start-1:i+1]), &s) != nil {
		return "", false
	}
	return s, true
}

// number reads a number by JSON's grammar; integers of up to 15 digits
// directly, others with strconv.ParseFloat, which fails, as encoding/json
// does, on a number out of range.
func (p *jsonParser) number() (goja.Value, bool) {
	start := p.i
	if p.s[p.i] == '-' {
		p.i++
	}
	digits := p.i
	switch {
	case p.i < len(p.s) && p.s[p.i] == '0':
		p.i++
	case p.i < len(p.s) && '1' <= p.s[p.i] && p.s[p.i] <= '9':
		for p.i < len(p.s) && '0' <= p.s[p.i] && p.s[p.i] <= '9' {
			p.i++
		}
	default:
		return nil, false
	}
	integer := true
	if p.i < len(p.s) && p.s[p.i] == '.' {
		integer = false
		if p.i++; !p.digits() {
			return nil, false
		}
	}
	if p.i < len(p.s) && (p.s[p.i] == 'e' || p.s[p.i] == 'E') {
		integer = false
		p.i++
		if p.i < len(p.s) && (p.s[p.i] == '+' || p.s[p.i] == '-') {
			p.i++
		}
		if !p.digits() {
			return nil, false
		}
	}
	text := p.s[start:p.i]
	if integer && p.i-digits <= 15 && text != "-0" {
		var n int64
		for _, c := range []byte(p.s[digits:p.i]) {
			n = n*10 + int64(c-'0')
		}
		if start != digits {
			n = -n
		}
		return p.rt.ToValue(n), true
	}
	f, err := strconv.ParseFloat(text, 64)
	if err != nil {
		return nil, false
	}
	return p.rt.ToValue(f), true
}

func (p *jsonParser) digits() bool {
	from := p.i
	for p.i < len(p.s) && '0' <= p.s[p.i] && p.s[p.i] <= '9' {
		p.i++
	}
	return p.i > from
}
