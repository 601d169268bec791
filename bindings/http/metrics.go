package http

import (
	"math"
	"strconv"

	"github.com/jsload/jsload/metrics"
)

// maxCachedTags bounds a runtime's cache of request tag sets: a script requesting
// ever new URLs without a name tag starts it afresh instead of growing it.
const maxCachedTags = 2048

// tagCache remembers the tag set of each (runtime tags, method, url, name, status,
// expected_response, params.tags) a runtime has recorded, so a request repeated
// with the same outcome records its samples without building tags. It belongs to
// the runtime's goroutine.
type tagCache struct {
	m    map[cacheKey]metrics.Tags
	key  []byte  // reused to build the lookup key
	last lastTag // the previous hop's, which the next one most often repeats
}

// cacheKey is the runtime's tags (which k6's group() and vu.tags change) and the
// rest of a hop's key, encoded.
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
	status                    int
	expected                  int8
	tags                      metrics.Tags
}

// get returns the tags of a hop: method, status, and url and name (the URL), or
// only name when params.tags.name is set (then the URL is no tag, and hops
// to ever new URLs under one name share their tags); then params.tags, which
// win.
func (c *tagCache) get(base metrics.Tags, method, url string, status int, expected int8, r *request) metrics.Tags {
	if r.name != "" {
		url = ""
	}
	if l := &c.last; l.status == status && l.method == method && l.url == url && l.name == r.name && l.tagKey == r.tagKey &&
		l.base == base && l.expected == expected {
		return l.tags // status 0 never matches the zero lastTag: method is never ""
	}
	t := c.lookup(base, method, url, status, expected, r)
	c.last = lastTag{base: base, method: method, url: url, name: r.name, tagKey: r.tagKey, status: status, expected: expected, tags: t}
	return t
}

// lookup is get without the last hop's shortcut.
func (c *tagCache) lookup(base metrics.Tags, method, url string, status int, expected int8, r *request) metrics.Tags {
	k := append(c.key[:0], byte('0'+expected))
	k = append(k, method...)
	k = append(k, 0)
	k = append(k, url...)
	k = append(k, 0)
	k = append(k, r.name...)
	k = append(k, 0)
	k = strconv.AppendInt(k, int64(status), 10)
	k = append(k, 0)
	k = append(k, r.tagKey...)
	c.key = k
	if t, ok := c.m[cacheKey{base, string(k)}]; ok {
		return t
	}
	kv := make([]string, 0, 10+len(r.tagKV))
	kv = append(kv, "method", method, "status", strconv.Itoa(status))
	if expected != notExpecting {
		kv = append(kv, "expected_response", strconv.FormatBool(expected == expectedYes))
	}
	if r.name != "" {
		kv = append(kv, "name", r.name)
	} else {
		kv = append(kv, "url", url, "name", url)
	}
	kv = append(kv, r.tagKV...)
	t := base.Merge(metrics.NewTags(kv...))
	if c.m == nil || len(c.m) >= maxCachedTags {
		c.m = make(map[cacheKey]metrics.Tags)
	}
	c.m[cacheKey{base, string(k)}] = t
	return t
}

// record adds the samples of each hop of res to the VU's sink. A request aborted
// because the VU is stopping records nothing: its failure is ours, not the
// target's. http_req_failed follows k6: in jsload's dialect a hop failed when it
// got no response (status 0) or a status of 400 or more; in k6's when the
// request's response callback does not expect its status (none recorded
// without a callback).
func (m *module) record(res *result) {
	if res.aborted {
		return
	}
	for i := range res.hops {
		h := &res.hops[i]
		failed, expected := 0.0, notExpecting
		switch cb := res.req.expect; {
		case !m.dialect.K6:
			if h.status == 0 || h.status >= 400 {
				failed = 1
			}
		case cb == nil:
			failed = math.NaN() // no sample
		case h.status != 0 && cb.Match(h.status):
			expected = expectedYes
		default:
			failed, expected = 1, expectedNo
		}
		tags := m.tags.get(res.req.base, h.method, h.url, h.status, expected, &res.req)
		m.sink.AddGroup(m.samples, tags, 1, h.t.duration, h.t.blocked, h.t.connecting, h.t.tlsHandshaking,
			h.t.sending, h.t.waiting, h.t.receiving, failed, float64(h.sent), float64(h.received))
	}
}

// requestSamples is the series group of one hop's samples, in the order record
// passes their values.
func requestSamples(b *metrics.Builtins) *metrics.SeriesGroup {
	return metrics.NewSeriesGroup(b.HTTPReqs, b.HTTPReqDuration, b.HTTPReqBlocked, b.HTTPReqConnecting,
		b.HTTPReqTLSHandshaking, b.HTTPReqSending, b.HTTPReqWaiting, b.HTTPReqReceiving, b.HTTPReqFailed,
		b.DataSent, b.DataReceived)
}
