import { eq, ok, throws } from './assert.js';

export function testParse() {
	const u = new URL('https://user:pw@Example.com:8443/a/./b/../c?x=1&y=2#frag');
	eq([u.protocol, u.username, u.password, u.hostname, u.port, u.host, u.pathname, u.search, u.hash],
		['https:', 'user', 'pw', 'example.com', '8443', 'example.com:8443', '/a/c', '?x=1&y=2', '#frag'], 'parts');
	eq(u.origin, 'https://example.com:8443', 'origin keeps the port');
	eq(new URL('http://127.0.0.1:80/').origin, 'http://127.0.0.1', 'default port dropped');
	eq(new URL('/p?q', 'http://localhost:3000/base/').href, 'http://localhost:3000/p?q', 'relative to a base');
	eq(JSON.stringify({ u: new URL('http://x/?a=b') }), '{"u":"http://x/?a=b"}', 'toJSON');
	throws(() => new URL('not a url'), 'TypeError', '', 'invalid URL');
	eq([URL.canParse('http://x/'), URL.canParse('nope'), URL.canParse('/p', 'http://x/')], [true, false, true], 'canParse');
}

// goja_nodejs's href lost the query once searchParams changed it.
export function testSearchParamsChangeHref() {
	const u = new URL('http://localhost:8080/api?x=1');
	u.searchParams.set('y', 'a b');
	eq(u.href, 'http://localhost:8080/api?x=1&y=a+b', 'href after set');
	u.searchParams.append('x', '2');
	eq(u.href, 'http://localhost:8080/api?x=1&y=a+b&x=2', 'href after append');
	eq(String(u), u.href, 'toString agrees');
	u.searchParams.delete('x');
	eq(u.href, 'http://localhost:8080/api?y=a+b', 'href after delete');
	u.searchParams.delete('y');
	eq([u.href, u.search], ['http://localhost:8080/api', ''], 'no query left');
	const v = new URL('http://x/?b=2&a=1');
	v.searchParams.sort();
	eq(v.href, 'http://x/?a=1&b=2', 'href after sort');
	const w = new URL('http://x/');
	w.searchParams.append('q', '1');
	w.hash = 'h';
	eq(w.href, 'http://x/?q=1#h', 'with a hash');
}

export function testSetters() {
	const u = new URL('http://x/?a=1');
	const sp = u.searchParams;
	ok(u.searchParams === sp, 'searchParams is one object');
	ok(sp instanceof URLSearchParams, 'instanceof URLSearchParams');
	u.search = '?b=3';
	eq([u.href, sp.get('b'), sp.has('a')], ['http://x/?b=3', '3', false], 'search setter');
	u.href = 'http://y/p?c=4';
	eq([u.host, sp.get('c'), sp.has('b')], ['y', '4', false], 'href setter refreshes searchParams');
	throws(() => { u.href = 'bad'; }, 'TypeError', '', 'bad href');
	eq(u.href, 'http://y/p?c=4', 'unchanged after a bad href');
	u.pathname = '/q';
	u.port = '9000';
	eq(u.href, 'http://y:9000/q?c=4', 'pathname and port');
}

export function testURLSearchParams() {
	const p = new URLSearchParams({ a: '1', b: 'x y' });
	p.append('c', '&=');
	eq(p.toString(), 'a=1&b=x+y&c=%26%3D', 'encoding');
	eq([...new URLSearchParams('?a=1&a=2&b').entries()], [['a', '1'], ['a', '2'], ['b', '']], 'entries');
	eq(new URLSearchParams([['k', 'v']]).get('k'), 'v', 'from pairs');
	eq(new URLSearchParams('a=1&a=2').getAll('a'), ['1', '2'], 'getAll');
}
