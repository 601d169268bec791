package http

import (
	"strconv"

	"github.com/jsload/jsload/metrics"
)

// maxCachedTags bounds a runtime's cache of request tag sets: a script requesting
// ever new URLs without a name tag starts it afresh instead of growing it.
const maxCachedTags = 2048

// tagCache remembers the tag set of each (method, url, name, status, error
// code, params.tags) a runtime has recorded, so a request repeated with the
// same outcome records its samples without building tags. It belongs to the
// runtime's goroutine.
type tagCache struct {
	base metrics.Tags // the runtime's tags (group, script)
	m    map[string]metrics.Tags
	key  []byte  // reused to build the lookup key
	last lastTag // the previous hop's, which the next one most often repeats
}

// lastTag is the key and tag set of one hop, compared field by field.
type lastTag struct {
	method, url, name, tagKey string
	status, code              int
	tags                      metrics.Tags
}

// get returns the tags of a hop h of r (see hopTags).
func (c *tagCache) get(h *hop, r *request) metrics.Tags {
	url := h.url
	if r.name != "" {
		url = ""
	}
	if l := &c.last; l.status == h.status && l.code == h.code && l.method == h.method && l.url == url && l.name == r.name && l.tagKey == r.tagKey {
		return l.tags // status 0 never matches the zero lastTag: method is never ""
	}
	t := c.lookup(h, url, r)
	c.last = lastTag{method: h.method, url: url, name: r.name, tagKey: r.tagKey, status: h.status, code: h.code, tags: t}
	return t
}

// lookup is get without the last hop's shortcut.
func (c *tagCache) lookup(h *hop, url string, r *request) metrics.Tags {
	k := append(c.key[:0], h.method...)
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
	if t, ok := c.m[string(k)]; ok {
		return t
	}
	t := hopTags(c.base, h, r)
	if c.m == nil || len(c.m) >= maxCachedTags {
		c.m = make(map[string]metrics.Tags)
	}
	c.m[string(k)] = t
	return t
}

// hopTags builds the tags of hop h of r over base: method, status, and url
// and name (the URL), or only name when params.tags.name is set (then the URL
// is no tag, and hops to ever new URLs under one name share their tags);
// error_code for a hop that got no response; interrupted=true for one cut by
// the end of the test; then params.tags, which win.
func hopTags(base metrics.Tags, h *hop, r *request) metrics.Tags {
	kv := make([]string, 0, 12+len(r.tagKV))
	kv = append(kv, "method", h.method, "status", strconv.Itoa(h.status))
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
	return base.Merge(metrics.NewTags(kv...))
}

// record adds the samples of each hop of res to the VU's sink, with the
// runtime's tag cache: on the runtime's goroutine only. http_req_failed
// follows k6: a hop failed when it got no response (status 0) or a status of
// 400 or more, but for the 401 digest authentication expects.
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
func (m *module) recordUncached(res *result) {
	m.recordTagged(res, func(h *hop, r *request) metrics.Tags { return hopTags(m.tags.base, h, r) })
}

func (m *module) recordTagged(res *result, tagsOf func(*hop, *request) metrics.Tags) {
	for i := range res.hops {
		h := &res.hops[i]
		tags := tagsOf(h, &res.req)
		failed := 0.0
		if (h.status == 0 || h.status >= 400) && !h.expected {
			failed = 1
		}
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
