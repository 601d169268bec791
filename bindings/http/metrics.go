package http

import (
	"math"
	"strconv"

	"github.com/jsload/jsload/metrics"
)

// maxCachedTags bounds a runtime's cache of request tag sets: a script requesting
// ever new URLs without a name tag starts it afresh instead of growing it.
const maxCachedTags = 2048

// tagCache remembers the tag set of each (runtime tags, method, url, name,
// status, error code, expected_response, params.tags) a runtime has recorded, so
// a request repeated with the same outcome records its samples without building
// tags. It belongs to the runtime's goroutine.
type tagCache struct {
	m    map[cacheKey]metrics.Tags
	key  []byte  // reused to build the lookup key
	last lastTag // the previous hop's, which the next one most often repeats
}

// cacheKey is the runtime's tags when the request was made (which k6's group()
// and vu.tags change) and the rest of a hop's key, encoded.
type cacheKey struct {
	base metrics.Tags
	k    string
}

// Expectations of a hop, for the expected_response tag (k6's dialect).
const (
	notExpecting int8 = iota // jsload's dialect, or a null response callback: no tag
	expectedNo
	expectedYes
)

// lastTag is the key and tag set of one hop, compared field by field.
type lastTag struct {
	base                      metrics.Tags
	method, url, name, tagKey string
	status, code              int
	expected                  int8
	tags                      metrics.Tags
}

// get returns the tags of a hop h of r (see hopTags).
func (c *tagCache) get(h *hop, r *request, expected int8) metrics.Tags {
	url := h.url
	if r.name != "" {
		url = ""
	}
	if l := &c.last; l.status == h.status && l.code == h.code && l.method == h.method && l.url == url && l.name == r.name &&
		l.tagKey == r.tagKey && l.base == r.base && l.expected == expected {
		return l.tags // status 0 never matches the zero lastTag: method is never ""
	}
	t := c.lookup(h, url, r, expected)
	c.last = lastTag{base: r.base, method: h.method, url: url, name: r.name, tagKey: r.tagKey, status: h.status, code: h.code,
		expected: expected, tags: t}
	return t
}

// lookup is get without the last hop's shortcut.
func (c *tagCache) lookup(h *hop, url string, r *request, expected int8) metrics.Tags {
	k := append(c.key[:0], byte('0'+expected))
	k = append(k, h.method...)
	k = append(k, 0)
	k = append(k, url...)
	k = append(k, 0)
	k = append(k, r.name...)
	k = append(k, 0)
	k = strconv.AppendInt(k, int64(h.status), 10)
	k = append(k, 0)
	k = strconv.AppendInt(k, int64(h.code), 10)
	k = append(k, 0)
	k = append(k, r.tagKey...)
	c.key = k
	if t, ok := c.m[cacheKey{r.base, string(k)}]; ok {
		return t
	}
	t := hopTags(h, r, expected)
	if c.m == nil || len(c.m) >= maxCachedTags {
		c.m = make(map[cacheKey]metrics.Tags)
	}
	c.m[cacheKey{r.base, string(k)}] = t
	return t
}

// hopTags builds the tags of hop h of r over the runtime's tags when r was
// made: method, status, and url and name (the URL), or only name when
// params.tags.name is set (then the URL is no tag, and hops to ever new URLs
// under one name share their tags); expected_response in k6's dialect;
// error_code for a hop that got no response; interrupted=true for one cut by
// the end of the test; then params.tags, which win.
func hopTags(h *hop, r *request, expected int8) metrics.Tags {
	kv := make([]string, 0, 14+len(r.tagKV))
	kv = append(kv, "method", h.method, "status", strconv.Itoa(h.status))
	if expected != notExpecting {
		kv = append(kv, "expected_response", strconv.FormatBool(expected == expectedYes))
	}
	if r.name != "" {
		kv = append(kv, "name", r.name)
	} else {
		kv = append(kv, "url", h.url, "name", h.url)
	}
	if h.code != 0 {
		kv = append(kv, "error_code", strconv.Itoa(h.code))
	}
	if h.code == codeInterrupted {
		kv = append(kv, "interrupted", "true")
	}
	kv = append(kv, r.tagKV...)
	return r.base.Merge(metrics.NewTags(kv...))
}

// record adds the samples of each hop of res to the VU's sink, with the
// runtime's tag cache: on the runtime's goroutine only. http_req_failed
// follows k6: in jsload's dialect a hop failed when it got no response (status
// 0) or a status of 400 or more, but for the 401 digest authentication
// expects; in k6's when the request's response callback does not expect its
// status (no sample without a callback).
func (m *module) record(res *result) {
	m.recordTagged(res, m.tags.get)
	if res.unsized > 0 && res.unsized != res.req.sizeHint {
		if m.sizes == nil || len(m.sizes) >= maxCachedURLs {
			m.sizes = make(map[string]int)
		}
		m.sizes[res.req.rawURL] = res.unsized
	}
}

// recordUncached is record without the tag cache, for any goroutine (an
// asyncRequest cut by the end of the test, whose callback will not run).
func (m *module) recordUncached(res *result) { m.recordTagged(res, hopTags) }

func (m *module) recordTagged(res *result, tagsOf func(*hop, *request, int8) metrics.Tags) {
	for i := range res.hops {
		h := &res.hops[i]
		failed, expected := m.expectation(h, &res.req)
		tags := tagsOf(h, &res.req, expected)
		m.sink.AddGroup(m.samples, tags, 1, h.t.duration, h.t.blocked, h.t.connecting, h.t.tlsHandshaking,
			h.t.sending, h.t.waiting, h.t.receiving, failed, float64(h.sent), float64(h.received))
	}
}

// expectation is a hop's http_req_failed sample (NaN for none) and its
// expected_response.
func (m *module) expectation(h *hop, r *request) (float64, int8) {
	cb := r.expect
	switch {
	case !m.dialect.K6:
		if (h.status == 0 || h.status >= 400) && !h.expected {
			return 1, notExpecting
		}
		return 0, notExpecting
	case cb == nil:
		return math.NaN(), notExpecting // no sample
	case h.status != 0 && (cb.Match(h.status) || h.expected):
		return 0, expectedYes
	}
	return 1, expectedNo
}

// requestSamples is the series group of one hop's samples, in the order record
// passes their values.
func requestSamples(b *metrics.Builtins) *metrics.SeriesGroup {
	return metrics.NewSeriesGroup(b.HTTPReqs, b.HTTPReqDuration, b.HTTPReqBlocked, b.HTTPReqConnecting,
		b.HTTPReqTLSHandshaking, b.HTTPReqSending, b.HTTPReqWaiting, b.HTTPReqReceiving, b.HTTPReqFailed,
		b.DataSent, b.DataReceived)
}
