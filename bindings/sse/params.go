package sse

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
	defaultTimeout = 60 * time.Second
	// defaultRetry is the reconnection time until the server sets one (retry:),
	// the 3 s browsers use.
	defaultRetry = 3 * time.Second
)

// Options are the settings of one source, read on the runtime's goroutine.
type Options struct {
	Method    string
	Body      string
	Header    http.Header
	Timeout   time.Duration // until the response's headers
	Retry     time.Duration // the reconnection time before the server sets one
	Reconnect bool          // reconnect when the stream ends or is lost
	Insecure  bool
	Jar       http.CookieJar
	TLS       *tls.Config                  // options.tlsVersion and tlsCipherSuites
	Resolve   func(hostport string) string // options.hosts; nil without
	Tags      metrics.Tags                 // of the source's samples, before the status
}

const paramNames = "headers, tags, timeout, retry, reconnect, method, body, insecureSkipTLSVerify, jar, withCredentials"

// newOptions reads a source's URL and params, starting from the VU's cookie jar,
// default headers and TLS setting (jsload/http's setDefaults).
func newOptions(h bindings.Host, urlV, params goja.Value) (string, Options, error) {
	raw, err := checkURL(urlV)
	if err != nil {
		return "", Options{}, err
	}
	vs := httpbind.Settings(h)
	o := Options{Method: http.MethodGet, Header: vs.Header, Timeout: defaultTimeout, Retry: defaultRetry,
		Reconnect: true, Insecure: vs.InsecureSkipTLSVerify, Jar: vs.Jar, TLS: vs.TLS, Resolve: vs.Resolve}
	name, tags := "", []string(nil)
	if !bindings.IsNullish(params) {
		if name, tags, err = o.parse(params); err != nil {
			return "", Options{}, err
		}
	}
	o.Tags = stream.SampleTags(h, raw, name, tags)
	return raw, o, nil
}

func checkURL(v goja.Value) (string, error) {
	if bindings.IsNullish(v) {
		return "", errors.New("missing URL: pass the http:// or https:// URL of the event stream")
	}
	u, err := url.Parse(v.String())
	if err != nil {
		return "", fmt.Errorf("invalid URL %q: %w", v.String(), errors.Unwrap(err))
	}
	if (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return "", fmt.Errorf("invalid URL %q: write an absolute http:// or https:// URL", v.String())
	}
	return u.String(), nil
}

func (o *Options) parse(v goja.Value) (name string, tags []string, err error) {
	obj, ok := v.(*goja.Object)
	if !ok {
		return "", nil, fmt.Errorf("params must be an object such as { headers: {...}, retry: '1s' }, got %s", v)
	}
	for _, key := range obj.Keys() {
		val := obj.Get(key)
		if bindings.IsNullish(val) {
			continue
		}
		switch key {
		case "headers":
			err = o.parseHeaders(val)
		case "tags":
			name, tags, err = stream.ParseTags(val)
		case "timeout":
			o.Timeout, err = bindings.ParseTimeout(val)
		case "retry":
			o.Retry, err = bindings.ParseTimeout(val)
		case "reconnect":
			o.Reconnect = val.ToBoolean()
		case "method":
			o.Method = strings.ToUpper(val.String())
			if o.Method != http.MethodGet && o.Method != http.MethodPost {
				err = fmt.Errorf("want GET or POST, got %q", val)
			}
		case "body":
			o.Body = val.String()
		case "insecureSkipTLSVerify":
			o.Insecure = val.ToBoolean()
		case "jar":
			o.Jar, err = httpbind.Jar(val)
		case "withCredentials": // browsers' flag: a VU always sends its cookies
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
		o.Header[name] = values
		return nil
	})
}
