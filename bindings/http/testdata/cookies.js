// Cookies a script manages itself: the VU's jar (http.cookieJar()), jars of its
// own (new http.CookieJar(), params.jar) and per-request cookies
// (params.cookies). Each test* function runs in a VU of its own (TestCookies);
// the iteration* functions are the iterations TestNewBrowser drives.
import http from 'jsload/http';
import { eq, ok, throws } from 'jstest/assert';

const BASE = __ENV.BASE;
const TLS = __ENV.TLS_BASE;
const H2 = __ENV.H2_BASE;

const seen = (params) => http.get(`${BASE}/cookies`, params).json();
const cookieHeader = (params) => http.get(`${BASE}/echo`, params).json().headers.Cookie;

export function testVUJar() {
  const jar = http.cookieJar();
  ok(jar === http.cookieJar(), 'one object per runtime');
  jar.set(BASE, 'set', 'by-script');
  http.get(`${BASE}/setcookie?name=server&value=1`);
  eq(jar.cookiesForURL(`${BASE}/any/page`), { set: ['by-script'], server: ['1'] }, 'both in the jar');
  eq(seen(), { server: '1', set: 'by-script' }, 'both sent');
}

export function testOwnJar() {
  const own = new http.CookieJar();
  http.get(`${BASE}/setcookie?name=mine&value=1`, { jar: own });
  eq(own.cookiesForURL(BASE), { mine: ['1'] }, 'the response set it in the jar passed');
  eq(http.cookieJar().cookiesForURL(BASE), {}, 'not in the VU jar');
  eq(seen({ jar: own }), { mine: '1' }, 'sent with its jar');
  eq(seen(), {}, 'not sent without it');
  const other = new http.CookieJar();
  eq(other.cookiesForURL(BASE), {}, 'each new jar is empty');
}

export function testRequestCookies() {
  http.get(`${BASE}/setcookie?name=session&value=jar`);
  eq(cookieHeader({ cookies: { extra: '1' } }), ['extra=1; session=jar'], 'added before the jar');
  eq(cookieHeader({ cookies: { session: 'mine' } }), ['session=mine; session=jar'], 'both without replace');
  eq(cookieHeader({ cookies: { session: { value: 'mine', replace: true } } }), ['session=mine'], 'replaced');
  eq(http.cookieJar().cookiesForURL(BASE), { session: ['jar'] }, 'not stored in the jar');
  eq(http.get(`${BASE}/redirect?n=1`, { cookies: { extra: '2' } }).json().headers.Cookie, ['extra=2; session=jar'],
    'sent on a redirect to the same host');
  eq(cookieHeader({ cookies: { a: '1' }, headers: { Cookie: 'h=0' } }), ['h=0; a=1; session=jar'], 'after a Cookie header');
}

export function testDeleteAndClear() {
  const jar = new http.CookieJar();
  jar.set('http://shop.example.test/a/b', 'host', '1');
  jar.set('http://shop.example.test/a/b', 'domain', '2', { domain: 'example.test', path: '/' });
  jar.set('http://shop.example.test/a/b', 'deep', '3', { path: '/a/b/' });
  eq(jar.cookiesForURL('http://www.example.test/a/b/c'), { domain: ['2'] }, 'a domain cookie reaches a sibling');
  eq(Object.keys(jar.cookiesForURL('http://shop.example.test/a/b/c')).sort(), ['deep', 'domain', 'host'], 'three here');
  jar.delete('http://www.example.test/x', 'domain');
  eq(Object.keys(jar.cookiesForURL('http://shop.example.test/a/b/c')).sort(), ['deep', 'host'], 'the domain cookie deleted');
  jar.delete('http://shop.example.test/a/b/c', 'deep');
  eq(jar.cookiesForURL('http://shop.example.test/a/b/c'), { host: ['1'] }, 'the path cookie deleted');
  jar.set(BASE, 'x', '1');
  jar.clear('http://shop.example.test/a/');
  eq(jar.cookiesForURL('http://shop.example.test/a/b/c'), {}, 'cleared for the URL');
  eq(jar.cookiesForURL(BASE), { x: ['1'] }, 'not for another host');
  http.get(`${BASE}/setcookie?name=y&value=1`, { jar });
  jar.delete(`${BASE}/deep/page`, 'y');
  eq(jar.cookiesForURL(BASE), { x: ['1'] }, 'deleted at an IP address');
  jar.clear();
  eq(jar.cookiesForURL(BASE), {}, 'cleared whole');
}

export function testCookieOptions() {
  const jar = new http.CookieJar();
  const site = 'http://shop.example.test/'; // not a loopback address, which is a secure origin
  jar.set(site, 'gone', '1', { maxAge: 0 });
  jar.set(site, 'old', '1', { expires: 'Mon, 02 Jan 2006 15:04:05 GMT' });
  jar.set(site, 'dated', '1', { expires: new Date(Date.now() + 3600e3) });
  jar.set(site, 'secure', '1', { secure: true, httpOnly: true });
  jar.set(site, 'k6', '1', { max_age: 60, http_only: true });
  eq(jar.cookiesForURL(site), { dated: ['1'], k6: ['1'] }, 'expired ones gone, the secure one not for http://');
  eq(jar.cookiesForURL(site.replace('http:', 'https:')), { dated: ['1'], secure: ['1'], k6: ['1'] }, 'secure for https://');
}

export function testCookieErrors() {
  const jar = http.cookieJar();
  throws(() => http.get(BASE, { cookies: 'a=1' }), /param cookies: want an object of cookie names and values/);
  throws(() => http.get(BASE, { cookies: { a: { value: '1', path: '/' } } }), /cookie "a": unknown key "path"/);
  throws(() => http.get(BASE, { cookies: { 'a b': '1' } }), /cookie "a b": .*invalid/i);
  throws(() => http.get(BASE, { jar: {} }), /param jar: want a CookieJar/);
  throws(() => http.setDefaults({ cookies: { a: '1' } }), /setDefaults: cookies is set per request/);
  throws(() => jar.set(BASE, 'a'), /CookieJar.set: missing cookie name or value/);
  throws(() => jar.set('/relative', 'a', '1'), /CookieJar.set: invalid URL/);
  throws(() => jar.set(BASE, 'a', '1', { maxage: 1 }), /unknown option "maxage": the options are domain, path/);
  throws(() => jar.set(BASE, 'a', '1', { expires: 'tomorrow' }), /expires: "tomorrow" is not a date/);
  throws(() => jar.cookiesForURL(), /CookieJar.cookiesForURL: missing URL/);
  throws(() => jar.delete(BASE), /CookieJar.delete: missing cookie name/);
}

// A script jar kept in a module variable outlives the iterations whatever
// newBrowserEachIteration says.
let own;

// iteration0 fills the browser: a cookie in the VU jar and in a jar of the
// script's own, and kept-alive connections over HTTP/1.1, TLS and HTTP/2; it
// starts a background script that makes a request once told to.
export function iteration0() {
  http.get(`${BASE}/setcookie?name=session&value=abc`);
  own = new http.CookieJar();
  http.get(`${BASE}/setcookie?name=mine&value=1`, { jar: own });
  for (const base of [TLS, H2]) ok(http.get(`${base}/echo`, { insecureSkipTLSVerify: true }).timings.tlsHandshaking > 0, base);
  ok(http.get(`${BASE}/echo`).timings.connecting === 0, 'the connection of the first request is kept within an iteration');
  createBackgroundScript('bg', { exec: 'background' }, { stop: 'never' });
}

export function background() {
  waitForSynchronizationPoint('ask', '30s');
  setString('bgSaw', JSON.stringify(seen()));
  setSynchronizationPoint('answered');
}

// newBrowser is iteration 1 after a new browser.
export function newBrowser() {
  ok(http.get(`${BASE}/echo`).timings.connecting > 0, 'a new connection');
  eq(seen(), {}, 'the VU jar was emptied');
  eq(seen({ jar: own }), { mine: '1' }, "the script's jar was not");
  for (const base of [TLS, H2]) ok(http.get(`${base}/echo`, { insecureSkipTLSVerify: true }).timings.tlsHandshaking > 0, `new handshake ${base}`);
  askBackground('{}');
}

// sameBrowser is iteration 1 without a new browser.
export function sameBrowser() {
  eq(http.get(`${BASE}/echo`).timings.connecting, 0, 'the connection was kept');
  eq(seen(), { session: 'abc' }, 'the VU jar was kept');
  eq(seen({ jar: own }), { mine: '1' }, "and the script's jar");
  for (const base of [TLS, H2]) eq(http.get(`${base}/echo`, { insecureSkipTLSVerify: true }).timings.tlsHandshaking, 0, `kept ${base}`);
  askBackground('{"session":"abc"}');
}

// askBackground has the background script request /cookies and checks what it sent.
function askBackground(want) {
  setSynchronizationPoint('ask');
  waitForSynchronizationPoint('answered', '30s');
  eq(getString('bgSaw'), want, 'the background script shares the browser');
}
