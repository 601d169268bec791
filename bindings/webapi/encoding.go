package webapi

import (
	"strings"
	"unicode/utf8"

	"github.com/dop251/goja"
)

// utf8Labels are the labels the Encoding Standard maps to UTF-8, the one encoding
// jsload's TextDecoder reads.
var utf8Labels = map[string]bool{
	"unicode-1-1-utf-8": true, "unicode11utf8": true, "unicode20utf8": true,
	"utf-8": true, "utf8": true, "x-unicode20utf8": true,
}

func (r *Realm) textEncoderClass() *goja.Object {
	c := r.NewClass("TextEncoder", func(goja.ConstructorCall) any { return &textEncoder{} })
	c.Getter("encoding", func(call goja.FunctionCall) goja.Value {
		This[*textEncoder](r, call)
		return r.rt.ToValue("utf-8")
	})
	c.Method("encode", func(call goja.FunctionCall) goja.Value {
		This[*textEncoder](r, call)
		s := ""
		if a := call.Argument(0); !goja.IsUndefined(a) {
			s = a.String() // lone surrogates become U+FFFD, as USVString conversion says
		}
		return r.NewUint8Array([]byte(s))
	})
	c.Method("encodeInto", func(call goja.FunctionCall) goja.Value {
		This[*textEncoder](r, call)
		src := call.Argument(0).String()
		view, ok := r.ArrayBufferView(call.Argument(1))
		if !ok || view.TypedArray != "Uint8Array" {
			r.ThrowTypeError("TextEncoder.encodeInto: the destination must be a Uint8Array")
		}
		dst := view.Bytes()
		read, written := 0, 0
		for _, c := range src {
			n := utf8.RuneLen(c)
			if written+n > len(dst) {
				break
			}
			utf8.EncodeRune(dst[written:], c)
			written += n
			read++
			if c >= 0x10000 {
				read++ // a surrogate pair in the JS string
			}
		}
		res := r.rt.NewObject()
		_ = res.Set("read", read)
		_ = res.Set("written", written)
		return res
	})
	return c.Ctor
}

type textEncoder struct{}

type textDecoder struct {
	fatal, ignoreBOM bool
	utf8Decoder
}

func (r *Realm) textDecoderClass() *goja.Object {
	c := r.NewClass("TextDecoder", func(call goja.ConstructorCall) any {
		label := "utf-8"
		if a := call.Argument(0); !goja.IsUndefined(a) {
			label = a.String()
		}
		if !utf8Labels[strings.ToLower(strings.Trim(label, "\t\n\f\r "))] {
			r.ThrowRangeError("The encoding label provided ('%s') is invalid: jsload's TextDecoder reads UTF-8 only ('utf-8', 'utf8', 'unicode-1-1-utf-8')", label)
		}
		opts := r.Options(call.Argument(1), "TextDecoder options")
		d := &textDecoder{}
		if v := Member(opts, "fatal"); v != nil {
			d.fatal = v.ToBoolean()
		}
		if v := Member(opts, "ignoreBOM"); v != nil {
			d.ignoreBOM = v.ToBoolean()
		}
		return d
	})
	c.Getter("encoding", func(call goja.FunctionCall) goja.Value {
		This[*textDecoder](r, call)
		return r.rt.ToValue("utf-8")
	})
	c.Getter("fatal", func(call goja.FunctionCall) goja.Value { return r.rt.ToValue(This[*textDecoder](r, call).fatal) })
	c.Getter("ignoreBOM", func(call goja.FunctionCall) goja.Value {
		return r.rt.ToValue(This[*textDecoder](r, call).ignoreBOM)
	})
	c.Method("decode", func(call goja.FunctionCall) goja.Value {
		d := This[*textDecoder](r, call)
		var in []byte
		if a := call.Argument(0); !goja.IsUndefined(a) {
			b, ok := r.BufferSource(a)
			if !ok {
				r.ThrowTypeError("TextDecoder.decode: the input must be an ArrayBuffer, a typed array or a DataView")
			}
			in = b
		}
		stream := false
		if v := Member(r.Options(call.Argument(1), "TextDecoder.decode options"), "stream"); v != nil {
			stream = v.ToBoolean()
		}
		s, ok := d.decode(in, stream, d.fatal, d.ignoreBOM)
		if !ok {
			r.ThrowTypeError("The encoded data was not valid UTF-8")
		}
		return r.rt.ToValue(s)
	})
	return c.Ctor
}

// utf8Decoder is the Encoding Standard's UTF-8 decoder: one U+FFFD per maximal
// invalid subsequence (Go's utf8 package gives one per byte), and state kept between
// calls so a stream may split a character anywhere.
type utf8Decoder struct {
	cp, seen, needed int
	lower, upper     byte // bounds of the next continuation byte; 0 for 0x80 and 0xBF
	started          bool // a code point of the current stream was output (BOM handling)
}

// decode decodes in as the next part of the stream; with stream false it ends the
// stream. ok is false on invalid input when fatal (the stream is reset).
func (d *utf8Decoder) decode(in []byte, stream, fatal, ignoreBOM bool) (string, bool) {
	var b strings.Builder
	b.Grow(len(in))
	emit := func(c rune) {
		if !d.started {
			d.started = true
			if c == 0xFEFF && !ignoreBOM {
				return
			}
		}
		b.WriteRune(c)
	}
	for i := 0; i < len(in); i++ {
		c := in[i]
		if d.needed == 0 {
			switch {
			case c <= 0x7F:
				emit(rune(c))
			case c >= 0xC2 && c <= 0xDF:
				d.needed, d.cp = 1, int(c&0x1F)
			case c >= 0xE0 && c <= 0xEF:
				if c == 0xE0 {
					d.lower = 0xA0
				} else if c == 0xED {
					d.upper = 0x9F
				}
				d.needed, d.cp = 2, int(c&0xF)
			case c >= 0xF0 && c <= 0xF4:
				if c == 0xF0 {
					d.lower = 0x90
				} else if c == 0xF4 {
					d.upper = 0x8F
				}
				d.needed, d.cp = 3, int(c&0x7)
			default:
				if fatal {
					d.reset()
					return "", false
				}
				emit(utf8.RuneError)
			}
			continue
		}
		lo, hi := byte(0x80), byte(0xBF)
		if d.lower != 0 {
			lo = d.lower
		}
		if d.upper != 0 {
			hi = d.upper
		}
		d.lower, d.upper = 0, 0
		if c < lo || c > hi {
			d.cp, d.needed, d.seen = 0, 0, 0
			if fatal {
				d.reset()
				return "", false
			}
			emit(utf8.RuneError)
			i-- // the byte starts over
			continue
		}
		d.cp = d.cp<<6 | int(c&0x3F)
		d.seen++
		if d.seen == d.needed {
			emit(rune(d.cp))
			d.cp, d.needed, d.seen = 0, 0, 0
		}
	}
	if !stream {
		incomplete := d.needed != 0
		d.reset()
		if incomplete {
			if fatal {
				return "", false
			}
			b.WriteRune(utf8.RuneError)
		}
	}
	return b.String(), true
}

func (d *utf8Decoder) reset() { *d = utf8Decoder{} }
