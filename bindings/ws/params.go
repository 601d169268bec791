package ws

import (
	"crypto/tls"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/dop251/goja"

	"github.com/jsload/jsload/bindings"
	httpbind "github.com/jsload/jsload/bindings/http"
	"github.com/jsload/jsload/bindings/internal/stream"
	"github.com/jsload/jsload/metrics"
)

const (
	defaultTimeout        = 60 * time.Second
	defaultMaxMessageSize = 64 << 20
)

// Options are the settings of one connection, read from a script's params on
// the runtime's goroutine; plain Go from then on.
type Options struct {
	Header         http.Header
	Protocols      []string
	Timeout        time.Duration                // of the opening handshake
	Compression    bool                         // offer permessage-deflate (RFC 7692, without context takeover)
	Insecure       bool                         // do not verify the server's certificate
	MaxMessageSize int64                        // a longer message fails the connection (close 1009)
	Jar            http.CookieJar               // the VU's, or params.jar
	TLS            *tls.Config                  // options.tlsVersion and tlsCipherSuites (InsecureSkipVerify from Insecure)
	Resolve        func(hostport string) string // options.hosts; nil without
	Tags           metrics.Tags                 // of the connection's samples, before the handshake's status
}

const paramNames = "headers, protocols, tags, timeout, compression, insecureSkipTLSVerify, maxMessageSize, jar"

// newOptions reads the URL and params of a connection: the VU's cookie jar,
// default headers and TLS setting (jsload/http's setDefaults), then params. The
// URL may be ws://, wss://, http:// or https:// (as browsers accept); the
// returned one is ws:// or wss://. protocols is the WebSocket constructor's
// second argument, or nil.
func newOptions(h bindings.Host, urlV, params, protocols goja.Value) (string, Options, error) {
	raw, err := checkURL(urlV)
	if err != nil {
		return "", Options{}, err
	}
	vs := httpbind.Settings(h)
	o := Options{Header: vs.Header, Timeout: defaultTimeout, Insecure: vs.InsecureSkipTLSVerify,
		MaxMessageSize: defaultMaxMessageSize, Jar: vs.Jar, TLS: vs.TLS, Resolve: vs.Resolve}
	o.Header.Del("Accept-Encoding")
	if !bindings.IsNullish(protocols) {
		if o.Protocols, err = protocolsOf(protocols); err != nil {
			return "", Options{}, err
		}
	}
	name, tags := "", []string(nil)
	if !bindings.IsNullish(params) {
		if name, tags, err = o.parseParams(params); err != nil {
			return "", Options{}, err
		}
	}
	o.Tags = stream.SampleTags(h, raw, name, tags)
	return raw, o, nil
}

// checkURL reads and checks a socket URL.
func checkURL(v goja.Value) (string, error) {
	if bindings.IsNullish(v) {
		return "", errors.New("missing URL: pass the ws:// or wss:// URL to connect to")
	}
	u, err := url.Parse(v.String())
	if err != nil {
		return "", fmt.Errorf("invalid URL %q: %w", v.String(), errors.Unwrap(err))
	}
	switch u.Scheme {
	case "http":
		u.Scheme = "ws"
	case "https":
		u.Scheme = "wss"
	case "ws", "wss":
	default:
		return "", fmt.Errorf("invalid URL %q: write an absolute ws:// or wss:// URL", v.String())
	}
	switch {
	case u.Host == "":
		return "", fmt.Errorf("invalid URL %q: it has no host", v.String())
	case u.Fragment != "" || strings.Contains(v.String(), "#"):
		return "", fmt.Errorf("invalid URL %q: a WebSocket URL has no #fragment", v.String())
	case u.User != nil:
		return "", fmt.Errorf("invalid URL %q: a WebSocket URL has no user:password@; send an Authorization header", u.Redacted())
	}
	return u.String(), nil
}

func (o *Options) parseParams(v goja.Value) (name string, tags []string, err error) {
	obj, ok := v.(*goja.Object)
	if !ok {
		return "", nil, fmt.Errorf("params must be an object such as { headers: {...}, tags: {...} }, got %s", v)
	}
	for _, key := range obj.Keys() {
		val := obj.Get(key)
		if bindings.IsNullish(val) {
			continue
		}
		switch key {
		case "headers":
			err = o.parseHeaders(val)
		case "protocols":
			o.Protocols, err = protocolsOf(val)
		case "tags":
			name, tags, err = stream.ParseTags(val)
		case "timeout":
			o.Timeout, err = bindings.ParseTimeout(val)
		case "compression":
			switch s := val.String(); {
			case s == "deflate" || s == "true":
				o.Compression = true
			case s == "" || s == "false":
			default:
				err = fmt.Errorf("unsupported compression %q: the one supported is 'deflate'", s)
			}
		case "insecureSkipTLSVerify":
			o.Insecure = val.ToBoolean()
		case "maxMessageSize":
			n := val.ToFloat()
			if n < 1 || n != n || n > 1<<40 {
				return "", nil, fmt.Errorf("invalid maxMessageSize %s: want a number of bytes, at least 1", val)
			}
			o.MaxMessageSize = int64(n)
		case "jar":
			o.Jar, err = httpbind.Jar(val)
		default:
			return "", nil, fmt.Errorf("unknown param %q: known params are %s", key, paramNames)
		}
		if err != nil {
			return "", nil, fmt.Errorf("param %s: %w", key, err)
		}
	}
	return name, tags, nil
}

func (o *Options) parseHeaders(v goja.Value) error {
	return bindings.EachHeader(v, func(name string, values []string) error {
		switch name {
		case "Upgrade", "Connection", "Sec-Websocket-Key", "Sec-Websocket-Version", "Sec-Websocket-Extensions":
			return fmt.Errorf("%s is set by the handshake itself: remove it", name)
		case "Sec-Websocket-Protocol": // as k6 scripts set them
			list, err := parseProtocols(strings.Split(strings.Join(values, ","), ","), true)
			if err != nil {
				return err
			}
			o.Protocols = append(o.Protocols, list...)
			return nil
		}
		o.Header[name] = values
		return nil
	})
}

// protocolsOf reads subprotocols: a string or an array of strings.
func protocolsOf(v goja.Value) ([]string, error) {
	var list []string
	if obj, ok := v.(*goja.Object); ok && obj.ClassName() == "Array" {
		for _, k := range obj.Keys() {
			list = append(list, obj.Get(k).String())
		}
	} else {
		list = []string{v.String()}
	}
	return parseProtocols(list, false)
}

// parseProtocols checks subprotocol names (trimmed first when trim).
func parseProtocols(list []string, trim bool) ([]string, error) {
	if trim {
		for i := range list {
			list[i] = strings.TrimSpace(list[i])
		}
	}
	seen := map[string]bool{}
	for _, p := range list {
		if p == "" || strings.ContainsAny(p, " \t,;\"()<>@:/[]?={}\\") || seen[p] {
			return nil, fmt.Errorf("invalid subprotocol %q: each must be a distinct token (letters, digits, - . _ ...)", p)
		}
		seen[p] = true
	}
	return list, nil
}
