package bindings

import (
	"fmt"
	"math"
	"strconv"
	"strings"
)

// TestOptions are the test-wide settings of the script's options that bindings
// read. The scheduler sets them once the options are read, before any VU but
// the one that read them is built; they never change afterwards.
type TestOptions struct {
	// MaxResponseBodySize is options.maxResponseBodySize in bytes: the
	// largest response body a request reads, unless its params say otherwise;
	// 0 when the options do not set it.
	MaxResponseBodySize int64
	// HTTP are the k6 options of the HTTP client (options.maxRedirects,
	// userAgent, hosts, ...).
	HTTP HTTPOptions
}

// HTTPOptions are the test-wide settings of the HTTP client that k6 scripts
// set in their options. The zero value is jsload's defaults.
type HTTPOptions struct {
	// MaxRedirects is options.maxRedirects, the redirects a request follows
	// unless its params say otherwise; nil: the client's default (10).
	MaxRedirects *int64
	// UserAgent is options.userAgent, the User-Agent header of every request
	// unless its headers say otherwise; nil: jsload's, "": none sent.
	UserAgent *string
	// Throw (options.throw) makes a failed request throw, as params.throw does.
	Throw bool
	// InsecureSkipTLSVerify (options.insecureSkipTLSVerify) skips the
	// verification of the servers' certificates for every request.
	InsecureSkipTLSVerify bool
	// DiscardResponseBodies (options.discardResponseBodies) makes
	// responseType 'none' the default: bodies are read and dropped.
	DiscardResponseBodies bool
	// NoConnectionReuse (options.noConnectionReuse) closes each connection
	// after its request: every request opens its own.
	NoConnectionReuse bool
	// Hosts is options.hosts: a host name, or host:port, mapped to the
	// address connections to it dial instead ("1.2.3.4", "1.2.3.4:8080" or
	// another name). A key may start with "*." to match every subdomain.
	Hosts map[string]string
	// Batch is options.batch, how many requests of one batch() run at once;
	// 0: the client's default (20).
	Batch int64
	// BatchPerHost is options.batchPerHost, how many of them to one host;
	// 0: no limit but Batch.
	BatchPerHost int64
	// TLSMinVersion and TLSMaxVersion bound the TLS versions offered
	// (options.tlsVersion; crypto/tls constants, 0 for Go's default).
	TLSMinVersion, TLSMaxVersion uint16
	// TLSCipherSuites are the TLS 1.0-1.2 cipher suites offered
	// (options.tlsCipherSuites, crypto/tls ids); nil: Go's default.
	TLSCipherSuites []uint16
	// Debug is options.httpDebug or --http-debug: "" off, "headers" logs
	// each request and response without bodies, "full" with them.
	Debug string
	// DebugLog receives the lines of Debug; safe for concurrent use. nil:
	// Debug is ignored.
	DebugLog func(text string)
}

// sizeUnits are the units ParseSize knows, by their lower-case name.
var sizeUnits = map[string]float64{
	"b": 1, "kb": 1e3, "mb": 1e6, "gb": 1e9, "tb": 1e12,
	"kib": 1 << 10, "mib": 1 << 20, "gib": 1 << 30, "tib": 1 << 40,
}

// ParseSize reads a size in bytes: a whole number (as a JavaScript value or
// JSON gives it: int64 or float64), or a string of a number and a unit
// ('64MiB', '10 MB', '512kb', '100B'; KB, MB, GB are powers of 1000, KiB, MiB,
// GiB of 1024). The size must be at least 1 byte.
func ParseSize(v any) (int64, error) {
	const hint = "write a number of bytes or a string such as '64MiB', '10MB' or '512KiB'"
	var f float64
	switch x := v.(type) {
	case int64:
		f = float64(x)
	case int:
		f = float64(x)
	case float64:
		f = x
	case string:
		s := strings.TrimSpace(x)
		i := strings.IndexFunc(s, func(r rune) bool { return (r < '0' || r > '9') && r != '.' })
		if i < 0 {
			i = len(s)
		}
		n, err := strconv.ParseFloat(s[:i], 64)
		unit, ok := sizeUnits[strings.ToLower(strings.TrimSpace(s[i:]))]
		if s[i:] == "" {
			unit, ok = 1, true
		}
		if err != nil || !ok {
			return 0, fmt.Errorf("invalid size %q: %s", x, hint)
		}
		f = n * unit
	default:
		return 0, fmt.Errorf("invalid size %v: %s", v, hint)
	}
	if f != math.Trunc(f) || f < 1 || f > math.MaxInt64/2 {
		return 0, fmt.Errorf("invalid size %v: want a whole number of bytes, at least 1; %s", v, hint)
	}
	return int64(f), nil
}
