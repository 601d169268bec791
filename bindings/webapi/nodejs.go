package webapi

import (
	"sync"

	"github.com/dop251/goja"
	"github.com/dop251/goja_nodejs/buffer"
	nodeurl "github.com/dop251/goja_nodejs/url"
)

// urlFixSrc corrects goja_nodejs's URL where it departs from the WHATWG URL
// standard. Its accessors cannot be redefined (they are not configurable), so
// URL.prototype becomes a new object, inheriting from the original, whose
// accessors wrap the original ones:
//   - href omitted the query after u.searchParams.set/append/delete/sort (toString and
//     search were right): href is now toString's result;
//   - origin dropped the port (http://localhost:8080 gave http://localhost);
//   - the search setter kept a leading '?' ('?a=1' gave '??a=1');
//   - setting href left u.searchParams reading the old query;
//   - u.searchParams was a new object on every read (u.searchParams !== u.searchParams);
//   - URL.canParse was missing.
const urlFixSrc = `(function (URL) {
	const orig = URL.prototype, d = (k) => Object.getOwnPropertyDescriptor(orig, k);
	const proto = Object.create(orig, { constructor: { value: URL, writable: true, configurable: true } });
	Object.defineProperty(URL, 'prototype', { value: proto, writable: false });
	const toString = orig.toString, href = d('href'), search = d('search'),
		params = d('searchParams'), protocol = d('protocol'), host = d('host');
	const strip = (s) => { s = String(s); return s.startsWith('?') ? s.slice(1) : s; };
	const special = ['http:', 'https:', 'ws:', 'wss:', 'ftp:'];
	const views = new WeakMap();
	const def = (k, get, set) => Object.defineProperty(proto, k, { get, set, enumerable: true, configurable: true });
	def('href', function () { return toString.call(this); }, function (v) {
		const before = search.get.call(this);
		search.set.call(this, '');
		try {
			href.set.call(this, v);
		} catch (e) {
			search.set.call(this, strip(before));
			throw e;
		}
		search.set.call(this, strip(search.get.call(this)));
	});
	def('search', search.get, function (v) { search.set.call(this, strip(v)); });
	def('origin', function () {
		const p = protocol.get.call(this);
		return special.includes(p) ? p + '//' + host.get.call(this) : 'null';
	});
	def('searchParams', function () {
		let v = views.get(this);
		if (v === undefined) {
			v = params.get.call(this);
			views.set(this, v);
		}
		return v;
	});
	Object.defineProperty(URL, 'canParse', { value: function canParse(url, base) {
		try { new URL(url, base); return true; } catch (e) { return false; }
	}, writable: true, configurable: true });
	return URL;
})`

var urlFixProg = sync.OnceValue(func() *goja.Program {
	return goja.MustCompile("webapi:url", urlFixSrc, true)
})

// nodeModule instantiates one goja_nodejs module in rt, as its require would, and
// returns its exports. goja_nodejs's own registry is not used: it would add
// require and process to the runtime.
func nodeModule(rt *goja.Runtime, load func(*goja.Runtime, *goja.Object)) *goja.Object {
	module := rt.NewObject()
	exports := rt.NewObject()
	_ = module.Set("exports", exports)
	load(rt, module)
	return module.Get("exports").(*goja.Object)
}

// urlModule returns goja_nodejs's url module with URL corrected (urlFixSrc), made
// once per runtime: URL and URLSearchParams come from the same instance, so
// u.searchParams instanceof URLSearchParams holds.
func (r *Realm) urlModule() *goja.Object {
	if r.url != nil {
		return r.url
	}
	exp := nodeModule(r.rt, nodeurl.Require)
	fix, err := r.rt.RunProgram(urlFixProg())
	if err != nil {
		panic(err)
	}
	fixFn, _ := goja.AssertFunction(fix)
	if _, err := fixFn(goja.Undefined(), exp.Get("URL")); err != nil {
		panic(err)
	}
	r.url = exp
	return exp
}

// bufferClass returns goja_nodejs's Buffer.
func (r *Realm) bufferClass() goja.Value {
	return nodeModule(r.rt, buffer.Require).Get("Buffer")
}
