package scheduler

import (
	"crypto/tls"
	"encoding/json"
	"fmt"
	"net"
	"regexp"
	"slices"
	"strconv"
	"strings"
)

// k6OptionKeys are the options of k6 that jsload applies, with what they are
// for (k6's documentation is the reference for their meaning).
var k6OptionKeys = map[string]string{
	"maxRedirects": "redirects a request follows (default 10)", "userAgent": "User-Agent of every request",
	"throw": "failed requests throw", "insecureSkipTLSVerify": "skip the verification of TLS certificates",
	"discardResponseBodies": "responseType 'none' by default", "noConnectionReuse": "one connection per request",
	"hosts": "host names mapped to addresses", "batch": "requests of one batch() at once",
	"batchPerHost": "requests of one batch() to one host at once", "tags": "tags of every sample",
	"summaryTrendStats": "the summary's trend columns", "summaryTimeUnit": "the unit of the summary's times",
	"tlsVersion": "TLS versions offered", "tlsCipherSuites": "TLS cipher suites offered",
	"minIterationDuration": "the least time an iteration takes (pacing)", "httpDebug": "log requests and responses",
	"noCookiesReset": "keep a VU's cookies across iterations (newBrowserEachIteration: false)",
}

// k6OptionParsers decode the k6 options jsload applies.
var k6OptionParsers = map[string]optionParser{
	"maxRedirects": func(o *Options, v json.RawMessage) (err error) {
		o.HTTP.MaxRedirects, err = nonNegativeInt(v)
		return err
	},
	"userAgent": func(o *Options, v json.RawMessage) error {
		var s string
		if err := json.Unmarshal(v, &s); err != nil {
			return fmt.Errorf("must be text, e.g. 'MyBot/1.0' ('' sends no User-Agent), got %s", v)
		}
		o.HTTP.UserAgent = &s
		return nil
	},
	"throw":                 boolOption(func(o *Options) *bool { return &o.HTTP.Throw }),
	"insecureSkipTLSVerify": boolOption(func(o *Options) *bool { return &o.HTTP.InsecureSkipTLSVerify }),
	"discardResponseBodies": boolOption(func(o *Options) *bool { return &o.HTTP.DiscardResponseBodies }),
	"noConnectionReuse":     boolOption(func(o *Options) *bool { return &o.HTTP.NoConnectionReuse }),
	"noCookiesReset": func(o *Options, v json.RawMessage) (err error) {
		o.NoCookiesReset, err = boolPtr(v)
		return err
	},
	"noVUConnectionReuse": func(o *Options, v json.RawMessage) (err error) {
		o.NoVUConnectionReuse, err = boolPtr(v)
		return err
	},
	"batch":        func(o *Options, v json.RawMessage) error { return positive(v, &o.HTTP.Batch) },
	"batchPerHost": func(o *Options, v json.RawMessage) error { return positive(v, &o.HTTP.BatchPerHost) },
	"hosts":        func(o *Options, v json.RawMessage) (err error) { o.HTTP.Hosts, err = parseHosts(v); return err },
	"tags": func(o *Options, v json.RawMessage) error {
		f := &groupFields{where: "options", fields: map[string]json.RawMessage{"tags": v}}
		o.Tags = f.strings("tags")
		if f.err != nil {
			return fmt.Errorf("must be an object of tag names and values, e.g. { team: 'shop' }")
		}
		return nil
	},
	"summaryTrendStats": func(o *Options, v json.RawMessage) (err error) {
		o.SummaryTrendStats, err = parseTrendStats(v)
		return err
	},
	"summaryTimeUnit": func(o *Options, v json.RawMessage) error {
		var s string
		if json.Unmarshal(v, &s) != nil || !slices.Contains([]string{"", "s", "ms", "us"}, s) {
			return fmt.Errorf("must be 's', 'ms' or 'us', got %s", v)
		}
		o.SummaryTimeUnit = s
		return nil
	},
	"tlsVersion":      parseTLSVersion,
	"tlsCipherSuites": parseCipherSuites,
	"minIterationDuration": func(o *Options, v json.RawMessage) error {
		d, err := durationPtr(v)
		if err == nil {
			o.MinIterationDuration = *d
		}
		return err
	},
	"httpDebug": func(o *Options, v json.RawMessage) error {
		var s string
		if json.Unmarshal(v, &s) != nil {
			return fmt.Errorf("must be 'headers' or 'full', got %s", v)
		}
		o.HTTP.Debug = HTTPDebugMode(s)
		return nil
	},
}

// HTTPDebugMode maps k6's httpDebug value (option or --http-debug flag) to
// bindings.HTTPOptions.Debug: "full" logs bodies too, any other non-empty value
// headers only, as in k6.
func HTTPDebugMode(s string) string {
	switch s {
	case "", "false":
		return ""
	case "full":
		return "full"
	}
	return "headers"
}

// k6Unsupported are the options of k6 that jsload reads but does not apply, with
// why or what to do instead: each set one gives a warning, not an error, so a k6
// script runs.
var k6Unsupported = map[string]string{
	"handleSummaryTimeout":     "handleSummary() runs without a time limit",
	"noSetup":                  "setup() always runs when the script exports it",
	"noTeardown":               "teardown() always runs when the script exports it",
	"rps":                      "there is no global request rate limit: use an arrival-rate group (constant-arrival-rate) to set a rate",
	"dns":                      "names are resolved by the system resolver at each new connection",
	"blockHostnames":           "every host name may be requested",
	"blacklistIPs":             "every address may be requested",
	"localIPs":                 "connections leave from the system's default address",
	"tlsAuth":                  "no client certificates are sent",
	"systemTags":               "samples carry jsload's own tags",
	"ext":                      "k6 Cloud settings have no meaning here",
	"cloud":                    "k6 Cloud settings have no meaning here",
	"paused":                   "a test starts at once",
	"executionSegment":         "use jsload's --segment i/n",
	"executionSegmentSequence": "use jsload's --segment i/n",
	"metricSamplesBufferSize":  "jsload's metric pipeline has no such buffer",
	"consoleOutput":            "console lines go to stderr",
	"features":                 "k6 feature flags have no meaning here",
	"linger":                   "jsload exits when the test ends",
	"noUsageReport":            "jsload sends no usage report",
	"webDashboard":             "jsload writes report.html in the run folder instead",
}

// boolOption decodes a boolean into the field field returns.
func boolOption(field func(o *Options) *bool) optionParser {
	return func(o *Options, v json.RawMessage) error {
		if err := json.Unmarshal(v, field(o)); err != nil {
			return fmt.Errorf("must be true or false, got %s", v)
		}
		return nil
	}
}

// positive decodes a whole number ≥ 1 into dst.
func positive(v json.RawMessage, dst *int64) error {
	n, err := nonNegativeInt(v)
	if err == nil && *n == 0 {
		err = fmt.Errorf("must be at least 1, got 0")
	}
	if err == nil {
		*dst = *n
	}
	return err
}

// hostName matches a name of options.hosts: a host name or address, "*." and a
// domain for its subdomains, each with an optional port.
var hostName = regexp.MustCompile(`^(\*\.)?[A-Za-z0-9_.:\[\]-]+$`)

// parseHosts decodes options.hosts: { 'test.k6.io': '127.0.0.1', '*.shop.local:443':
// '127.0.0.1:8443' }.
func parseHosts(v json.RawMessage) (map[string]string, error) {
	var m map[string]string
	if err := json.Unmarshal(v, &m); err != nil {
		return nil, fmt.Errorf("must be an object of host names and addresses, e.g. { 'shop.local': '127.0.0.1' }")
	}
	lower := make(map[string]string, len(m))
	for name, addr := range m {
		lower[strings.ToLower(name)] = addr // host names are case-insensitive
		if !hostName.MatchString(name) {
			return nil, fmt.Errorf("%q is not a host name, a host:port or *.domain", name)
		}
		if strings.TrimSpace(addr) == "" || strings.ContainsAny(addr, "/ ") {
			return nil, fmt.Errorf("%s: %q is not an address: write an IP, IP:port or host name", name, addr)
		}
		if h, p, err := net.SplitHostPort(addr); err == nil {
			if _, perr := strconv.ParseUint(p, 10, 16); h == "" || perr != nil {
				return nil, fmt.Errorf("%s: %q has no valid host and port", name, addr)
			}
		}
	}
	return lower, nil
}

// trendStat matches a column of summaryTrendStats.
var trendStat = regexp.MustCompile(`^(avg|min|med|max|count|p\((100|[0-9]{1,2}(\.[0-9]+)?)\))$`)

// parseTrendStats decodes options.summaryTrendStats: ['avg', 'p(95)', 'max'].
func parseTrendStats(v json.RawMessage) ([]string, error) {
	var stats []string
	if err := json.Unmarshal(v, &stats); err != nil || len(stats) == 0 {
		return nil, fmt.Errorf("must be a non-empty array of stats, e.g. ['avg', 'min', 'med', 'max', 'p(95)', 'p(99.9)', 'count']")
	}
	for _, s := range stats {
		if !trendStat.MatchString(s) {
			return nil, fmt.Errorf("unknown stat %q: the stats are avg, min, med, max, count and p(N) with N from 0 to 100", s)
		}
	}
	return stats, nil
}

// tlsVersions are the names of options.tlsVersion, as k6 writes them.
var tlsVersions = map[string]uint16{
	"tls1.0": tls.VersionTLS10, "tls1.1": tls.VersionTLS11, "tls1.2": tls.VersionTLS12, "tls1.3": tls.VersionTLS13,
}

// parseTLSVersion decodes options.tlsVersion: 'tls1.2', or { min: 'tls1.2', max: 'tls1.3' }.
func parseTLSVersion(o *Options, v json.RawMessage) error {
	const hint = "write 'tls1.2' or { min: 'tls1.2', max: 'tls1.3' } (tls1.0 to tls1.3)"
	var one string
	if json.Unmarshal(v, &one) == nil {
		ver, ok := tlsVersions[one]
		if !ok {
			return fmt.Errorf("unknown version %q: %s", one, hint)
		}
		o.HTTP.TLSMinVersion, o.HTTP.TLSMaxVersion = ver, ver
		return nil
	}
	var r struct{ Min, Max string }
	if err := json.Unmarshal(v, &r); err != nil {
		return fmt.Errorf("%s", hint)
	}
	for _, p := range []struct {
		name string
		dst  *uint16
	}{{r.Min, &o.HTTP.TLSMinVersion}, {r.Max, &o.HTTP.TLSMaxVersion}} {
		if p.name == "" {
			continue
		}
		ver, ok := tlsVersions[p.name]
		if !ok {
			return fmt.Errorf("unknown version %q: %s", p.name, hint)
		}
		*p.dst = ver
	}
	if o.HTTP.TLSMaxVersion != 0 && o.HTTP.TLSMinVersion > o.HTTP.TLSMaxVersion {
		return fmt.Errorf("min %s is above max %s", r.Min, r.Max)
	}
	return nil
}

// parseCipherSuites decodes options.tlsCipherSuites: names of crypto/tls's suites.
func parseCipherSuites(o *Options, v json.RawMessage) error {
	var names []string
	if err := json.Unmarshal(v, &names); err != nil || len(names) == 0 {
		return fmt.Errorf("must be a non-empty array of cipher suite names, e.g. ['TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256']")
	}
	ids := map[string]uint16{}
	for _, s := range append(tls.CipherSuites(), tls.InsecureCipherSuites()...) {
		ids[s.Name] = s.ID
	}
	for _, n := range names {
		id, ok := ids[n]
		if !ok {
			return fmt.Errorf("unknown cipher suite %q: use a name of Go's crypto/tls, e.g. TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256", n)
		}
		o.HTTP.TLSCipherSuites = append(o.HTTP.TLSCipherSuites, id)
	}
	return nil
}
