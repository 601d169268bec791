package http

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"strings"
	"sync"

	"github.com/andybalholm/brotli"
	"github.com/klauspost/compress/flate"
	"github.com/klauspost/compress/gzip"
	"github.com/klauspost/compress/zlib"
	"github.com/klauspost/compress/zstd"
)

// Content decoding. Both transports hand the body over as it came (the h1
// transport decodes nothing, and net/http does not decode when the request has
// its own Accept-Encoding, which every request has: the default one or the
// script's). A response body encoded with gzip, deflate, br or zstd is decoded
// here, whoever asked for the encoding, as k6 does; its headers stay as the
// server sent them. The decoders are klauspost/compress's (faster than the
// standard library's) and andybalholm/brotli's, reused between responses.

// defaultAcceptEncoding is the Accept-Encoding of a request whose script sets
// none (nor a Range): what net/http and jsload's h1 asked for before.
const defaultAcceptEncoding = "gzip"

// maxZstdWindow bounds the memory of a zstd frame: RFC 9659 lets an HTTP
// decoder refuse windows above 8 MiB.
const maxZstdWindow = 8 << 20

// errDecode marks a body that could not be decoded (errorCode 1701).
var errDecode = errors.New("decode body")

// decodeError is a failure to decode a body encoded with coding.
type decodeError struct {
	coding string
	err    error
}

func (e *decodeError) Error() string {
	return fmt.Sprintf("decode %s body: %v", e.coding, e.err)
}
func (e *decodeError) Unwrap() []error { return []error{errDecode, e.err} }

// decoded is a body reader with its decoders, which release gives back.
type decoded struct {
	io.Reader
	release []func()
}

func (d *decoded) close() {
	for _, f := range d.release {
		f()
	}
	d.release = nil
}

// decodeBody wraps body in the decoders its Content-Encoding values name, the
// last applied first; an unknown coding (or identity) leaves the body as it
// is from there on, as k6 does.
func decodeBody(body io.Reader, encodings []string) (*decoded, error) {
	d := &decoded{Reader: body}
	var codings []string
	for _, v := range encodings {
		for c := range strings.SplitSeq(v, ",") {
			codings = append(codings, strings.ToLower(strings.TrimSpace(c)))
		}
	}
	for i := len(codings) - 1; i >= 0; i-- {
		r, release, err := newDecoder(codings[i], d.Reader)
		if err != nil {
			d.close()
			return nil, &decodeError{codings[i], err}
		}
		if r == nil {
			break
		}
		d.Reader = &decodeErrors{r: r, coding: codings[i]}
		d.release = append(d.release, release)
	}
	return d, nil
}

// decodeErrors marks the errors of a decoder as decodeErrors; those of the
// body under it (a reset, say) pass as they are.
type decodeErrors struct {
	r      io.Reader
	coding string
}

func (d *decodeErrors) Read(p []byte) (int, error) {
	n, err := d.r.Read(p)
	if err != nil && err != io.EOF && !errors.As(err, new(*decodeError)) && !errors.As(err, new(*sourceError)) {
		err = &decodeError{d.coding, err}
	}
	return n, err
}

// sourceError marks an error of the body under the decoders: the
// connection's, never the coding's.
type sourceError struct{ err error }

func (e *sourceError) Error() string { return e.err.Error() }
func (e *sourceError) Unwrap() error { return e.err }

// source reads a raw body, marking its errors as sourceErrors.
type source struct{ r io.Reader }

func (s source) Read(p []byte) (int, error) {
	n, err := s.r.Read(p)
	if err != nil && err != io.EOF {
		err = &sourceError{err}
	}
	return n, err
}

var (
	gzipReaders sync.Pool // *gzip.Reader
	zstdReaders sync.Pool // *zstd.Decoder
	brReaders   sync.Pool // *brotli.Reader
)

// newDecoder returns a reader of src decoded from coding and the function that
// gives the decoder back; nil for a coding it does not know.
func newDecoder(coding string, src io.Reader) (io.Reader, func(), error) {
	switch coding {
	case "gzip", "x-gzip":
		if zr, ok := gzipReaders.Get().(*gzip.Reader); ok {
			if err := zr.Reset(src); err != nil {
				return nil, nil, err
			}
			return zr, func() { gzipReaders.Put(zr) }, nil
		}
		zr, err := gzip.NewReader(src)
		if err != nil {
			return nil, nil, err
		}
		return zr, func() { gzipReaders.Put(zr) }, nil
	case "deflate":
		return newDeflate(src)
	case "br":
		if br, ok := brReaders.Get().(*brotli.Reader); ok {
			if err := br.Reset(src); err != nil {
				return nil, nil, err
			}
			return br, func() { brReaders.Put(br) }, nil
		}
		br := brotli.NewReader(src)
		return br, func() { brReaders.Put(br) }, nil
	case "zstd":
		zd, ok := zstdReaders.Get().(*zstd.Decoder)
		if !ok {
			var err error
			// One goroutine: decoding on the caller's, none started.
			zd, err = zstd.NewReader(nil, zstd.WithDecoderConcurrency(1), zstd.WithDecoderLowmem(true),
				zstd.WithDecoderMaxWindow(maxZstdWindow))
			if err != nil {
				return nil, nil, err
			}
		}
		if err := zd.Reset(src); err != nil {
			return nil, nil, err
		}
		return zd, func() { _ = zd.Reset(nil); zstdReaders.Put(zd) }, nil
	}
	return nil, nil, nil
}

// newDeflate decodes "deflate": zlib (RFC 1950) as RFC 9110 says, or raw
// deflate (RFC 1951), which some servers send instead, as browsers accept.
func newDeflate(src io.Reader) (io.Reader, func(), error) {
	br := bufio.NewReaderSize(src, 16)
	head, err := br.Peek(2)
	if err != nil && len(head) < 2 {
		if err == io.EOF {
			err = io.ErrUnexpectedEOF
		}
		return nil, nil, err
	}
	if head[0]&0x0f == 8 && (uint16(head[0])<<8|uint16(head[1]))%31 == 0 {
		zr, err := zlib.NewReader(br)
		if err != nil {
			return nil, nil, err
		}
		return zr, func() {}, nil
	}
	return flate.NewReader(br), func() {}, nil
}
