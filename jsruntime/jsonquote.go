package jsruntime

import (
	"unicode/utf8"

	"github.com/dop251/goja"
)

// The string literals of JSON.stringify (stringify.go), as ECMA-262's
// QuoteJSONString writes them.

// quote writes a JSON string literal of v (QuoteJSONString): lone surrogates
// are escaped, so the output is well-formed Unicode.
func (s *jsonState) quote(v goja.Value) {
	str := v.String()
	ascii := true
	for i := 0; i < len(str); i++ {
		if str[i] >= utf8.RuneSelf {
			ascii = false
			break
		}
	}
	s.buf.WriteByte('"')
	if ascii {
		for i := 0; i < len(str); i++ {
			s.char(rune(str[i]))
		}
	} else {
		u := v.(goja.String)
		n := u.Length()
		for i := 0; i < n; i++ {
			c := rune(u.CharAt(i))
			if c >= 0xD800 && c <= 0xDBFF && i+1 < n {
				if lo := rune(u.CharAt(i + 1)); lo >= 0xDC00 && lo <= 0xDFFF {
					s.buf.WriteRune((c-0xD800)<<10 + (lo - 0xDC00) + 0x10000)
					i++
					continue
				}
			}
			s.char(c)
		}
	}
	s.buf.WriteByte('"')
}

// quoteKey writes a property key as a string literal. Keys come from goja as Go
// strings (a lone surrogate already replaced): no UTF-16 walk is needed.
func (s *jsonState) quoteKey(k string) {
	s.buf.WriteByte('"')
	for _, c := range k {
		s.char(c)
	}
	s.buf.WriteByte('"')
}

const hexDigits = "0123456789abcdef"

// char writes one UTF-16 code unit (or an ASCII byte) of a string literal.
func (s *jsonState) char(c rune) {
	switch c {
	case '"', '\\':
		s.buf.WriteByte('\\')
		s.buf.WriteByte(byte(c))
	case '\b':
		s.buf.WriteString(`\b`)
	case '\t':
		s.buf.WriteString(`\t`)
	case '\n':
		s.buf.WriteString(`\n`)
	case '\f':
		s.buf.WriteString(`\f`)
	case '\r':
		s.buf.WriteString(`\r`)
	default:
		switch {
		case c < 0x20 || c >= 0xD800 && c <= 0xDFFF:
			s.buf.WriteString(`\u`)
			s.buf.WriteByte(hexDigits[c>>12&0xF])
			s.buf.WriteByte(hexDigits[c>>8&0xF])
			s.buf.WriteByte(hexDigits[c>>4&0xF])
			s.buf.WriteByte(hexDigits[c&0xF])
		case c < utf8.RuneSelf:
			s.buf.WriteByte(byte(c))
		default:
			s.buf.WriteRune(c)
		}
	}
}
