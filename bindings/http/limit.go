package http

import (
	"fmt"
	"io"
)

// defaultMaxBodySize is the body limit of a request when neither its params,
// setDefaults nor options.maxResponseBodySize set one.
const defaultMaxBodySize = 64 << 20

// bodyTooLargeError is a response body past its request's limit (errorCode
// 1702). The limit counts the body's bytes after decoding, so that a small
// compressed body that inflates without end (a gzip bomb) stops there too.
type bodyTooLargeError struct{ limit int64 }

func (e *bodyTooLargeError) Error() string {
	return fmt.Sprintf("response body larger than maxResponseBodySize (%s): raise maxResponseBodySize in the params (or options), or pass responseType: 'none' to read and discard it", formatSize(e.limit))
}

// formatSize writes n bytes in the largest binary unit that divides it.
func formatSize(n int64) string {
	for _, u := range []struct {
		name string
		size int64
	}{{"GiB", 1 << 30}, {"MiB", 1 << 20}, {"KiB", 1 << 10}} {
		if n >= u.size && n%u.size == 0 {
			return fmt.Sprintf("%d %s", n/u.size, u.name)
		}
	}
	return fmt.Sprintf("%d bytes", n)
}

// limitReader reads r up to limit bytes and fails with a bodyTooLargeError
// when r has more.
type limitReader struct {
	r     io.Reader
	left  int64
	limit int64
}

func (l *limitReader) Read(p []byte) (int, error) {
	if l.left <= 0 {
		var one [1]byte
		n, err := l.r.Read(one[:])
		if n > 0 {
			return 0, &bodyTooLargeError{l.limit}
		}
		return 0, err
	}
	if int64(len(p)) > l.left {
		p = p[:l.left]
	}
	n, err := l.r.Read(p)
	l.left -= int64(n)
	return n, err
}
