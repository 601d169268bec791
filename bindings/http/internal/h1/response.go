package h1

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httputil"
	"slices"
	"strconv"
	"strings"
	"sync"
	"unsafe"
)

// responsePool holds the Responses given back (Recycle), with the memory of
// their heads.
var responsePool = sync.Pool{New: func() any { return new(Response) }}

// maxRecycledHead is the largest head whose memory Recycle keeps.
const maxRecycledHead = 4 << 10

// Recycle gives r back to the Transport, which reads a later response into it
// and into the memory of its head: after Recycle, neither r nor any string it
// returned (Status, header values) may be used. It is for a caller done with
// a response, its body closed, that keeps copies of the strings it keeps (a
// jar's cookies, say). A response not recycled is simply collected; one the
// Transport did not read (ResponseOf) is left as it is.
func (r *Response) Recycle() {
	if !r.pooled || cap(r.own) > maxRecycledHead {
		return
	}
	*r = Response{own: r.own[:0]}
	responsePool.Put(r)
}

// maxResponseHead is the largest response head (status line and headers) read.
const maxResponseHead = 1 << 20

// headerSpan locates one header line in a response head: name [ns, ne) and value
// [vs, ve). (The head is at most maxResponseHead bytes.)
type headerSpan struct{ ns, ne, vs, ve int32 }

// errMalformed describes a response that is not HTTP/1.x.
type errMalformed struct{ what, line string }

func (e *errMalformed) Error() string {
	return fmt.Sprintf("malformed HTTP response: %s in %q", e.what, e.line)
}

// readResponse reads one response head from c and frames its body. The head is
// kept in one string that the status and header values are slices of, and its
// header lines are only located, so a response costs two allocations whatever
// its number of headers (see Response).
func (c *conn) readResponse(method string) (*Response, error) {
	buf, err := c.appendLine(c.head[:0])
	if err != nil {
		return nil, err
	}
	statusEnd := len(buf)
	spans := c.spans[:0]
	for {
		start := len(buf)
		if buf, err = c.appendLine(buf); err != nil {
			return nil, err
		}
		if len(buf) == start {
			break // the empty line that ends the head
		}
		if c := buf[start]; c == ' ' || c == '\t' {
			// obs-fold: the line continues the previous value, after a space.
			if len(spans) == 0 {
				return nil, &errMalformed{"a continuation line first", string(buf[start:])}
			}
			rest := bytes.TrimLeft(buf[start:], " \t")
			sp := &spans[len(spans)-1]
			if sp.ve > sp.vs {
				buf = append(buf[:sp.ve], ' ')
			} else {
				buf = buf[:sp.ve]
			}
			buf = append(buf, rest...)
			sp.ve = int32(len(bytes.TrimRight(buf, " \t")))
			continue
		}
		colon := bytes.IndexByte(buf[start:], ':')
		if colon <= 0 || !validHeaderName(buf[start:start+colon]) {
			return nil, &errMalformed{"bad header line", string(buf[start:])}
		}
		vs, ve := start+colon+1, len(buf)
		for vs < ve && (buf[vs] == ' ' || buf[vs] == '\t') {
			vs++
		}
		for ve > vs && (buf[ve-1] == ' ' || buf[ve-1] == '\t') {
			ve--
		}
		if !validHeaderValue(buf[vs:ve]) {
			return nil, &errMalformed{"a control character in a header value", string(buf[start:])}
		}
		spans = append(spans, headerSpan{int32(start), int32(start + colon), int32(vs), int32(ve)})
	}
	resp := responsePool.Get().(*Response)
	own := append(resp.own[:0], buf...)
	*resp = Response{ContentLength: -1, head: unsafe.String(unsafe.SliceData(own), len(own)), own: own, pooled: true}
	if cap(buf) <= maxKeptBuffer {
		c.head = buf[:0]
	}
	if len(spans) <= len(resp.inline) {
		resp.spans = resp.inline[:len(spans)]
		copy(resp.spans, spans)
	} else {
		resp.spans = slices.Clone(spans)
	}
	c.spans = spans[:0]
	if err := parseStatusLine(resp, resp.head[:statusEnd]); err != nil {
		return nil, err
	}
	return resp, c.frame(resp, method)
}

// appendLine appends the next line of the head to buf, without its line end.
func (c *conn) appendLine(buf []byte) ([]byte, error) {
	for {
		line, err := c.br.ReadSlice('\n')
		if len(buf)+len(line) > maxResponseHead {
			return buf, fmt.Errorf("response head longer than %d bytes", maxResponseHead)
		}
		buf = append(buf, line...)
		switch {
		case err == bufio.ErrBufferFull:
			continue
		case err == io.EOF:
			return buf, io.ErrUnexpectedEOF
		case err != nil:
			return buf, err
		}
		buf = buf[:len(buf)-1]
		if n := len(buf); n > 0 && buf[n-1] == '\r' {
			buf = buf[:n-1]
		}
		return buf, nil
	}
}

// laterProtos are the versions after HTTP/1.1, for Proto not to be a part of
// the head (see Recycle).
var laterProtos = [...]string{"HTTP/1.2", "HTTP/1.3", "HTTP/1.4", "HTTP/1.5", "HTTP/1.6", "HTTP/1.7", "HTTP/1.8", "HTTP/1.9"}

// parseStatusLine reads "HTTP/1.1 200 OK" into resp.
func parseStatusLine(resp *Response, line string) error {
	if len(line) >= 12 && line[:9] == "HTTP/1.1 " && (len(line) == 12 || line[12] == ' ') {
		// The usual line, without searching it: three digits after the version.
		if c0, c1, c2 := line[9]-'0', line[10]-'0', line[11]-'0'; c0 >= 1 && c0 <= 9 && c1 <= 9 && c2 <= 9 {
			resp.Proto, resp.ProtoMajor, resp.ProtoMinor = "HTTP/1.1", 1, 1
			resp.Status, resp.StatusCode = line[9:], int(c0)*100+int(c1)*10+int(c2)
			return nil
		}
	}
	proto, status, ok := strings.Cut(line, " ")
	if !ok {
		return &errMalformed{"no status code", line}
	}
	switch {
	case proto == "HTTP/1.1":
		resp.Proto, resp.ProtoMajor, resp.ProtoMinor = "HTTP/1.1", 1, 1
	case proto == "HTTP/1.0":
		resp.Proto, resp.ProtoMajor, resp.ProtoMinor = "HTTP/1.0", 1, 0
	case len(proto) == 8 && strings.HasPrefix(proto, "HTTP/1.") && proto[7] >= '2' && proto[7] <= '9':
		resp.Proto, resp.ProtoMajor, resp.ProtoMinor = laterProtos[proto[7]-'2'], 1, int(proto[7]-'0') // a later 1.x reads as 1.1
	default:
		return &errMalformed{"not HTTP/1.x", line}
	}
	status = strings.TrimLeft(status, " ")
	code, _, _ := strings.Cut(status, " ")
	n, err := strconv.Atoi(code)
	if err != nil || len(code) != 3 || n < 100 {
		return &errMalformed{"bad status code", line}
	}
	resp.Status, resp.StatusCode = status, n
	return nil
}

// canonicalKey returns the canonical form of header name k, without allocating
// for the usual response headers.
func canonicalKey(k string) string {
	switch k {
	case "Content-Type", "content-type":
		return "Content-Type"
	case "Content-Length", "content-length":
		return "Content-Length"
	case "Date", "date":
		return "Date"
	case "Server", "server":
		return "Server"
	case "Connection", "connection":
		return "Connection"
	case "Set-Cookie", "set-cookie":
		return "Set-Cookie"
	case "Cache-Control", "cache-control":
		return "Cache-Control"
	case "Content-Encoding", "content-encoding":
		return "Content-Encoding"
	case "Transfer-Encoding", "transfer-encoding":
		return "Transfer-Encoding"
	case "Location", "location":
		return "Location"
	case "Vary", "vary":
		return "Vary"
	case "Etag", "ETag", "etag":
		return "Etag"
	case "Last-Modified", "last-modified":
		return "Last-Modified"
	case "Keep-Alive", "keep-alive":
		return "Keep-Alive"
	}
	return http.CanonicalHeaderKey(k)
}

var chunkedEncoding = []string{"chunked"}

// frame sets resp's body from its head: none (HEAD, 1xx, 204, 304, a length
// of 0), Content-Length bytes, chunks, or up to the end of the connection; and
// whether the connection may be reused afterwards (resp.Close).
func (c *conn) frame(resp *Response, method string) error {
	resp.Close = closes(resp)
	te, teCount := "", 0
	resp.each("Transfer-Encoding", func(v string) { te, teCount = v, teCount+1 })
	if teCount > 0 && resp.ProtoMinor == 0 {
		resp.Close = true // HTTP/1.0 has no Transfer-Encoding: the framing cannot be trusted
	} else if teCount > 0 {
		if teCount != 1 || !strings.EqualFold(te, "chunked") {
			return fmt.Errorf("unsupported Transfer-Encoding %q", strings.Join(resp.Values("Transfer-Encoding"), ", "))
		}
		resp.Chunked = true // chunks decide, whatever a length says: Content-Length is left out
	}
	length := int64(-1)
	if !resp.Chunked {
		cl, count, differ := "", 0, false
		resp.each("Content-Length", func(v string) {
			if count == 0 {
				cl = v
			} else if v != cl {
				differ = true
			}
			count++
		})
		if differ {
			return fmt.Errorf("response has several different Content-Length headers: %q", strings.Join(resp.Values("Content-Length"), ", "))
		}
		if count > 0 {
			n, err := strconv.ParseUint(cl, 10, 63)
			if err != nil {
				return fmt.Errorf("bad Content-Length %q", cl)
			}
			length = int64(n)
		}
	}
	switch code := resp.StatusCode; {
	case method == http.MethodHead:
		resp.ContentLength, resp.Body = length, http.NoBody
		return nil
	case code == http.StatusSwitchingProtocols:
		resp.ContentLength, resp.Body, resp.Close = 0, http.NoBody, true // the connection speaks another protocol now
		return nil
	case code < 200, code == http.StatusNoContent, code == http.StatusNotModified:
		resp.ContentLength, resp.Body = 0, http.NoBody
		return nil
	}
	body := &resp.body
	*body = pooledBody{c: c, remain: -1}
	switch {
	case resp.Chunked:
		body.chunks = httputil.NewChunkedReader(c.br)
	case length == 0:
		resp.ContentLength, resp.Body = 0, http.NoBody
		return nil
	case length > 0:
		resp.ContentLength, body.remain = length, length
	default:
		resp.Close = true // the end of the connection ends the body
	}
	resp.Body = body
	return nil
}

// each calls fn with every value of header name, in order, without
// allocating; the name is matched without regard to case.
func (r *Response) each(name string, fn func(string)) {
	for _, sp := range r.spans {
		if r.is(sp, name) && !r.skip(sp) {
			fn(r.head[sp.vs:sp.ve])
		}
	}
}

// closes reports whether the server closes the connection after the response:
// Connection: close, or HTTP/1.0 without keep-alive.
func closes(resp *Response) bool {
	closing, keepAlive := false, false
	resp.each("Connection", func(v string) {
		for tok := range strings.SplitSeq(v, ",") {
			switch tok = strings.TrimSpace(tok); {
			case strings.EqualFold(tok, "close"):
				closing = true
			case strings.EqualFold(tok, "keep-alive"):
				keepAlive = true
			}
		}
	})
	return closing || (resp.ProtoMinor == 0 && !keepAlive)
}

// skipTrailer reads the trailer section after the last chunk: header lines up
// to an empty one, discarded.
func (c *conn) skipTrailer() error {
	for n := 0; ; n++ {
		line, err := c.br.ReadSlice('\n')
		switch {
		case err == bufio.ErrBufferFull:
			return fmt.Errorf("response trailer line longer than %d bytes", c.br.Size())
		case err == io.EOF:
			return io.ErrUnexpectedEOF
		case err != nil:
			return err
		}
		if len(bytes.TrimRight(line, "\r\n")) == 0 {
			return nil
		}
		if n > 1000 {
			return errors.New("response trailer too long")
		}
	}
}
