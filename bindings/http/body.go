package http

import (
	"bytes"
	"cmp"
	"io"
	"net/http"
	"strings"
	"sync"
	"unsafe"

	"github.com/jsload/jsload/bindings/http/internal/h1"
)

// Response bodies. A body the script keeps (as its text, or an ArrayBuffer) is
// read into a slice of its own that becomes the script's value without a
// copy: a body of known size into a slice of that size; one of unknown size
// (chunked, or decoded) into a slice the size its URL's body had the last time
// (request.sizeHint), so that an API's answers, of much the same size each
// time, are read without a copy either. A body the script does not keep
// (responseType 'none', a redirect's, one whose response the script drops) is
// read into a pooled buffer, which stays in the CPU's cache, and dropped. Each
// response, with the size of the body it kept, is reported to the garbage
// collector's headroom (gcheadroom.go).

// maxSizedBody is the largest announced body read into a slice of its size
// at once; a larger one grows as it comes, so that a server announcing much
// does not make the VU allocate it before sending it.
const maxSizedBody = 1 << 20

// minUnsized is the first size of the slice of a body of unknown size.
const minUnsized = 512

// maxDrain is how much of a redirect's body is read so its connection can be
// reused; a longer one closes the connection.
const maxDrain = 256 << 10

// discardBuffers are the buffers bodies not kept are read into: large, so a
// large body takes few reads (syscalls).
var discardBuffers = sync.Pool{New: func() any { return new([64 << 10]byte) }}

// readBody reads resp's body as the response type asks, decoded (see
// decodeBody) and at most limit bytes of it, and closes it. A body past the
// limit fails (bodyTooLargeError) and its connection is closed, not read to
// the end; responseType 'none' reads and discards the body as it came, without
// limit. A HEAD response, a 1xx, 204 or 304 has no body, whatever its
// Content-Length says (net/http gives a HEAD response a body that ends at
// once).
func (res *result) readBody(resp *h1.Response, method string, kind responseType, limit int64) error {
	defer resp.Body.Close()
	switch code := resp.StatusCode; {
	case method == http.MethodHead, code < 200, code == http.StatusNoContent, code == http.StatusNotModified, resp.Body == http.NoBody:
		return nil
	case kind == respNone:
		return discard(resp.Body)
	}
	var body io.Reader = resp.Body
	size := resp.ContentLength
	if resp.Get("Content-Encoding") != "" {
		d, err := decodeBody(source{resp.Body}, resp.Values("Content-Encoding"))
		if err != nil {
			return err
		}
		defer d.close()
		if len(d.release) > 0 {
			body, size = d, -1
		}
	}
	if size > limit {
		return &bodyTooLargeError{limit}
	}
	if size >= 0 && size <= maxSizedBody && !res.req.dropped {
		return res.readSized(body, size, kind)
	}
	limited := &res.limited
	*limited = limitReader{r: body, left: limit, limit: limit}
	var err error
	if res.req.dropped { // read as a kept body is (decoded, limited), into a buffer reused at once
		err = discard(limited)
	} else {
		err = res.readUnsized(limited, kind)
	}
	if err != nil {
		return err
	}
	if body != resp.Body { // the decoder may stop before the end of the body: read the rest
		_ = discard(io.LimitReader(resp.Body, maxDrain))
	}
	return nil
}

// readSized reads a body of the given size into a slice of its own, which
// becomes the text (without a copy: nothing writes to it afterwards) or the
// binary body, and then reads the end of the body, which lets the transport
// reuse the connection at once.
func (res *result) readSized(body io.Reader, size int64, kind responseType) error {
	b := bodySlice(int(size) + 1)[:size] // the spare byte reads the end
	if _, err := io.ReadFull(body, b); err != nil {
		return err
	}
	if n, err := body.Read(b[size : size+1]); n > 0 || (err != nil && err != io.EOF) {
		return cmp.Or(err, io.ErrUnexpectedEOF) // net/http stops at the announced size
	}
	res.keep(b, kind)
	return nil
}

// readUnsized reads a body of unknown size into a slice of its own, first of
// the size hint (plus the byte that reads the end), doubled when the body
// outgrows it. A body that leaves much of its slice unused is copied to its
// size: it becomes the script's value, which keeps no spare memory.
func (res *result) readUnsized(body io.Reader, kind responseType) error {
	b := bodySlice(max(res.req.sizeHint, minUnsized) + 1)
	for {
		if len(b) == cap(b) {
			b = append(bodySlice(2*cap(b)), b...)
		}
		n, err := body.Read(b[len(b):cap(b)])
		b = b[:len(b)+n]
		if err == io.EOF {
			break
		}
		if err != nil {
			return err
		}
	}
	if spare := cap(b) - len(b); spare > 4<<10 && spare > len(b)/8 {
		b = bytes.Clone(b)
	}
	res.unsized = len(b)
	res.keep(b, kind)
	return nil
}

// bodySlice returns an empty slice of capacity at least n for a body to be
// read into, whose memory is not cleared first: what the script sees of it is
// only what was read into it. make clears what it returns, and clearing each
// 100 KiB body before the socket's data overwrote it was a quarter of the CPU
// of a test of 100 KiB bodies (`go run ./bench -only cpu -baseline`). The
// standard library's allocation that does not clear is strings.Builder's
// (Grow): the Builder is dropped unused and its buffer becomes the slice.
func bodySlice(n int) []byte {
	var sb strings.Builder
	sb.Grow(n)
	sb.WriteByte(0) // so that String's data is the buffer, not a zero-length string's
	return unsafe.Slice(unsafe.StringData(sb.String()), sb.Cap())[:0]
}

// keep makes b the body of res: the text (without a copy: nothing writes to b
// afterwards) or the binary body.
func (res *result) keep(b []byte, kind responseType) {
	res.kept = cap(b)
	if kind == respBinary {
		res.binary = b
	} else {
		res.text = unsafe.String(unsafe.SliceData(b), len(b))
	}
}

// discard reads r to its end into a pooled buffer.
func discard(r io.Reader) error {
	buf := discardBuffers.Get().(*[64 << 10]byte)
	defer discardBuffers.Put(buf)
	for {
		if _, err := r.Read(buf[:]); err != nil {
			if err == io.EOF {
				return nil
			}
			return err
		}
	}
}

// drain reads what is left of a short body so its connection can be reused, and
// closes it.
func drain(body io.ReadCloser) {
	_ = discard(io.LimitReader(body, maxDrain))
	body.Close()
}
