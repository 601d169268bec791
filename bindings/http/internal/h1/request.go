package h1

import (
	"fmt"
	"io"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
)

// appendRequest appends req's head (req.Head when set) and body to b as they
// go on the wire; head is where the body starts in the result.
func appendRequest(b []byte, req *Request) (_ []byte, head int, err error) {
	if req.Head != nil {
		b = append(b, req.Head...)
	} else if b, err = AppendHead(b, req); err != nil {
		return b, 0, err
	}
	head = len(b)
	return append(b, req.Body...), head, nil
}

// AppendHead appends req's head to b as it goes on the wire: the request
// line, the headers and the blank line (req.Head is not used).
func AppendHead(b []byte, req *Request) ([]byte, error) {
	if req.URL.Host == "" {
		return b, errNoHost
	}
	b = append(b, req.Method...)
	b = append(b, ' ')
	b = appendRequestURI(b, req.URL)
	b = append(b, " HTTP/1.1\r\nHost: "...)
	host := req.Host
	if host == "" {
		host = req.URL.Host
	}
	if !validHeaderValue(host) {
		return b, fmt.Errorf("invalid Host %q", host)
	}
	b = append(b, host...)
	b = append(b, "\r\n"...)

	var keys [16]string
	names := keys[:0]
	for k := range req.Header {
		switch k {
		case "Host", "Content-Length", "Transfer-Encoding", "Trailer":
			continue
		}
		names = append(names, k)
	}
	slices.Sort(names)
	for _, k := range names {
		if !validHeaderName(k) {
			return b, fmt.Errorf("invalid header name %q", k)
		}
		for _, v := range req.Header[k] {
			if !validHeaderValue(v) {
				return b, fmt.Errorf("invalid value %q of header %s: it has a control character (a line break?)", v, k)
			}
			b = append(b, k...)
			b = append(b, ": "...)
			b = append(b, v...)
			b = append(b, "\r\n"...)
		}
	}
	if n := len(req.Body); n > 0 || req.Method == http.MethodPost || req.Method == http.MethodPut || req.Method == http.MethodPatch {
		b = append(b, "Content-Length: "...)
		b = strconv.AppendInt(b, int64(n), 10)
		b = append(b, "\r\n"...)
	}
	return append(b, "\r\n"...), nil
}

// requestOf converts req for Do, reading its body, which it closes.
func requestOf(req *http.Request) (*Request, error) {
	r := &Request{Method: req.Method, URL: req.URL, Host: req.Host, Header: req.Header}
	if req.Body != nil && req.Body != http.NoBody {
		defer req.Body.Close()
		b, err := io.ReadAll(req.Body)
		if err != nil {
			return nil, fmt.Errorf("read request body: %w", err)
		}
		r.Body, r.HasBody = string(b), true
	} else if req.Body == http.NoBody {
		r.HasBody = true
	}
	if r.Method == "" {
		r.Method = http.MethodGet
	}
	return r, nil
}

// appendRequestURI appends the request target of u: its path and query.
func appendRequestURI(b []byte, u *url.URL) []byte {
	if u.Opaque != "" || u.RawPath != "" || u.ForceQuery || u.Fragment != "" {
		return append(b, u.RequestURI()...)
	}
	path := u.Path
	if path == "" {
		path = "/"
	}
	if !pathNeedsEscape(path) {
		b = append(b, path...)
	} else {
		b = append(b, u.EscapedPath()...)
	}
	if u.RawQuery != "" {
		b = append(b, '?')
		b = append(b, u.RawQuery...)
	}
	return b
}

// pathNeedsEscape reports whether path has a byte that url.URL.EscapedPath would
// escape; plain paths are written as they are.
func pathNeedsEscape(path string) bool {
	for i := 0; i < len(path); i++ {
		c := path[i]
		if 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' {
			continue
		}
		switch c {
		case '/', '-', '_', '.', '~', '!', '$', '&', '\'', '(', ')', '*', '+', ',', ';', '=', ':', '@':
			continue
		}
		return true
	}
	return false
}

// validHeaderName reports whether name is an HTTP token. (Generic so that a
// response's bytes are checked without a copy.)
func validHeaderName[T string | []byte](name T) bool {
	if len(name) == 0 {
		return false
	}
	for i := 0; i < len(name); i++ {
		if !tokenByte[name[i]] {
			return false
		}
	}
	return true
}

// tokenByte tells the bytes of an HTTP token (RFC 9110's tchar).
var tokenByte = func() (t [256]bool) {
	for c := range 256 {
		t[c] = 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || strings.ContainsRune("!#$%&'*+-.^_`|~", rune(c))
	}
	return t
}()

// validHeaderValue reports whether v has no control character but tab.
func validHeaderValue[T string | []byte](v T) bool {
	for i := 0; i < len(v); i++ {
		if c := v[i]; (c < ' ' && c != '\t') || c == 0x7f {
			return false
		}
	}
	return true
}
