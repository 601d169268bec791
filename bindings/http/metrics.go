package http

import (
	"strconv"

	"github.com/jsload/jsload/metrics"
)

// maxCachedTags bounds a runtime's cache of request tag sets: a script requesting
// ever new URLs without a name tag starts it afresh instead of growing it.
const maxCachedTags = 2048

// tagCache remembers the tag set of each (method, url, name, status, params.tags)
// a runtime has recorded, so a request repeated with the same outcome records its
// samples without building tags. It belongs to the runtime's goroutine.
type tagCache struct {
	base metrics.Tags // the runtime's tags (group, script)
	m    map[string]metrics.Tags
	key  []byte  // reused to build the lookup key
	last lastTag // the previous hop's, which the next one most often repeats
}

// lastTag is the key and tag set of one hop, compared field by field.
type lastTag struct {
	method, url, name, tagKey string
	status                    int
	tags                      metrics.Tags
}

// get returns the tags of a hop: method, status, and url and name (the URL), or
// only name when params.tags.name is set (then the URL is no tag, and hops
// to ever new URLs under one name share their tags); then params.tags, which
// win.
func (c *tagCache) get(method, url string, status int, r *request) metrics.Tags {
	if r.name != "" {
		url = ""
	}
	if l := &c.last; l.status == status && l.method == method && l.url == url && l.name == r.name && l.tagKey == r.tagKey {
		return l.tags // status 0 never matches the zero lastTag: method is never ""
	}
	t := c.lookup(method, url, status, r)
	c.last = lastTag{method: method, url: url, name: r.name, tagKey: r.tagKey, status: status, tags: t}
	return t
}

// lookup is get without the last hop's shortcut.
func (c *tagCache) lookup(method, url string, status int, r *request) metrics.Tags {
	k := append(c.key[:0], method...)
	k = append(k, 0)
	k = append(k, url...)
	k = append(k, 0)
	k = append(k, r.name...)
	k = append(k, 0)
	k = strconv.AppendInt(k, int64(status), 10)
	k = append(k, 0)
	k = append(k, r.tagKey...)
	c.key = k
	if t, ok := c.m[string(k)]; ok {
		return t
	}
	kv := make([]string, 0, 8+len(r.tagKV))
	kv = append(kv, "method", method, "status", strconv.Itoa(status))
	if r.name != "" {
		kv = append(kv, "name", r.name)
	} else {
		kv = append(kv, "url", url, "name", url)
	}
	kv = append(kv, r.tagKV...)
	t := c.base.Merge(metrics.NewTags(kv...))
	if c.m == nil || len(c.m) >= maxCachedTags {
		c.m = make(map[string]metrics.Tags)
	}
	c.m[string(k)] = t
	return t
}

// record adds the samples of each hop of res to the VU's sink. A request aborted
// because the VU is stopping records nothing: its failure is ours, not the
// target's. http_req_failed follows k6: a hop failed when it got no response
// (status 0) or a status of 400 or more.
func (m *module) record(res *result) {
	if res.aborted {
		return
	}
	for i := range res.hops {
		h := &res.hops[i]
		tags := m.tags.get(h.method, h.url, h.status, &res.req)
		failed := 0.0
		if h.status == 0 || h.status >= 400 {
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
