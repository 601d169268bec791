// Behaviour of jsload/http, one exported function per case; each throws on failure.
// __ENV.BASE and __ENV.TLS_BASE are test servers (see server_test.go), __ENV.REFUSED
// a port nobody listens on.
import http from 'jsload/http';
import { get } from 'jsload/http';
import { eq, ok, throws } from 'jstest/assert';

const BASE = __ENV.BASE;

export function methods() {
  const cases = [
    ['GET', () => http.get(`${BASE}/echo`)],
    ['POST', () => http.post(`${BASE}/echo`, 'x')],
    ['PUT', () => http.put(`${BASE}/echo`, 'x')],
    ['PATCH', () => http.patch(`${BASE}/echo`, 'x')],
    ['DELETE', () => http.del(`${BASE}/echo`)],
    ['OPTIONS', () => http.options(`${BASE}/echo`, { headers: { 'X-A': '1' } })],
    ['OPTIONS', () => http.options(`${BASE}/echo`, 'x', { headers: { 'X-A': '1' } })],
    ['PROPFIND', () => http.request('propfind', `${BASE}/echo`)],
  ];
  for (const [method, fn] of cases) {
    const r = fn();
    eq(r.status, 200, `${method} status`);
    eq(r.json().method, method, `${method} method`);
    eq(r.request.method, method, `${method} request.method`);
  }
  const h = http.head(`${BASE}/echo`);
  eq([h.status, h.body, h.error, h.headers['X-Custom'], h.headers['Content-Length']], [200, '', '', 'yes', '123'], 'HEAD');
  throws(() => http.request('bad method', `${BASE}/echo`), /invalid method/, 'bad method');
}

export function bodies() {
  let r = http.post(`${BASE}/echo`, 'plain text').json();
  eq([r.body, r.headers['Content-Type']], ['plain text', undefined], 'string body');

  r = http.post(`${BASE}/echo`, { user: 'ann', tags: ['a', 'b'], n: 1, 'é x': 'ü&=' }).json();
  eq(r.headers['Content-Type'], ['application/x-www-form-urlencoded'], 'form content type');
  eq(r.body, 'user=ann&tags=a&tags=b&n=1&%C3%A9+x=%C3%BC%26%3D', 'form body in field order');
  eq(r.form, { n: ['1'], tags: ['a', 'b'], user: ['ann'], 'é x': ['ü&='] }, 'form');

  const doc = { a: [1, 2], s: 'ünï' };
  r = http.post(`${BASE}/echo`, JSON.stringify(doc), { headers: { 'Content-Type': 'application/json' } }).json();
  eq([JSON.parse(r.body), r.headers['Content-Type']], [doc, ['application/json']], 'JSON body');

  r = http.put(`${BASE}/echo`, { a: '1' }, { headers: { 'content-type': 'text/x-mine' } }).json();
  eq([r.body, r.headers['Content-Type']], ['a=1', ['text/x-mine']], 'form with own content type');

  r = http.post(`${BASE}/echo`, new Uint8Array([0, 1, 254, 255])).json();
  eq(r.hex, '0001feff', 'typed array body');
  r = http.post(`${BASE}/echo`, new Uint8Array([9, 0, 1, 2, 9]).subarray(1, 4)).json();
  eq(r.hex, '000102', 'typed array view body');
  r = http.post(`${BASE}/echo`, new Uint8Array([7, 8]).buffer).json();
  eq(r.hex, '0708', 'ArrayBuffer body');
  r = http.post(`${BASE}/echo`, new DataView(new Uint8Array([5, 6, 7]).buffer, 1)).json();
  eq(r.hex, '0607', 'DataView body');
  r = http.post(`${BASE}/echo`, '').json();
  eq([r.body, r.length], ['', 0], 'empty body');
  r = http.post(`${BASE}/echo`).json();
  eq(r.body, '', 'no body');
  throws(() => http.post(`${BASE}/echo`, [1, 2]), /unsupported body \(Array\)/, 'array body');
}

export function headers() {
  const r = http.get(`${BASE}/echo`, { headers: { 'x-one': '1', 'X-Two': ['a', 'b'], 'X-None': undefined } });
  const got = r.json().headers;
  eq(got['X-None'], undefined, 'undefined header');
  eq(http.get(`${BASE}/echo`, { headers: { host: 'example.test' } }).json().host, 'example.test', 'Host header');
  eq([got['X-One'], got['X-Two']], [['1'], ['a', 'b']], 'request headers');
  ok(/^jsload\//.test(got['User-Agent'][0]), `user agent ${got['User-Agent']}`);
  eq([r.headers['X-Custom'], r.headers['X-Multi'], r.headers['Content-Type']], ['yes', 'a, b', 'application/json'], 'response headers');
  eq(r.request.headers['X-One'], '1', 'request.headers');
  eq(r.statusText, 'OK', 'statusText');
  eq(r.proto, 'HTTP/1.1', 'proto');
}

export function defaults() {
  http.setDefaults({ headers: { Authorization: 'Bearer t0k' }, redirects: 0 });
  let r = http.get(`${BASE}/redirect?n=1`);
  eq(r.status, 302, 'default redirects');
  r = http.get(`${BASE}/echo`, { headers: { 'X-More': '1' } }).json();
  eq([r.headers.Authorization, r.headers['X-More']], [['Bearer t0k'], ['1']], 'default headers');
  http.setDefaults({});
  r = http.get(`${BASE}/echo`).json();
  eq(r.headers.Authorization, undefined, 'defaults reset');
  throws(() => http.setDefaults({ tags: { a: '1' } }), /tags are set per request/, 'setDefaults tags');
}

// A request sent again as it was has its head written once (headCache in
// heads.go): whatever changes between two still reaches the wire.
export function repeatedHeads() {
  const url = `${BASE}/echo`;
  const get = () => http.get(url).json();
  eq(get().headers.Authorization, undefined, 'first');
  eq(get().headers.Authorization, undefined, 'again');
  http.setDefaults({ headers: { Authorization: 'Bearer 1' } });
  eq(get().headers.Authorization, ['Bearer 1'], 'new defaults');
  eq(get().headers.Authorization, ['Bearer 1'], 'new defaults again');
  http.get(`${BASE}/setcookie?name=c&value=1`);
  eq(get().headers.Cookie, ['c=1'], 'a cookie the jar got');
  eq(http.get(url, { headers: { 'X-A': '1' } }).json().headers['X-A'], ['1'], 'a header of its own');
  eq(get().headers['X-A'], undefined, 'that header not kept');
  eq(http.get(url, { headers: { host: 'other.test' } }).json().host, 'other.test', 'a Host of its own');
  ok(get().host !== 'other.test', 'that Host not kept');
  const post = (body) => http.post(url, body).json();
  eq([post('ab').length, post('abc').length, post('abc').body, post('').length], [2, 3, 'abc', 0], 'body lengths');
  eq(http.get(`${url}?q=1`).json().query, 'q=1', 'another URL');
  eq(get().query, '', 'the first URL again');
  http.setDefaults({});
  eq(get().headers.Authorization, undefined, 'defaults reset');
}

export function tagged() {
  http.get(`${BASE}/echo`, { tags: { name: 'tagged', kind: 'x' } });
  http.get(`${BASE}/status?code=404`);
}

export function cookies() {
  http.get(`${BASE}/setcookie?name=session&value=abc`);
  http.get(`${BASE}/setcookie?name=other&value=1`);
  const r = http.get(`${BASE}/cookies`, { headers: { Cookie: 'mine=2' } });
  eq(r.json(), { mine: '2', other: '1', session: 'abc' }, 'cookies sent');
}

// The VU and its background scripts share one cookie jar.
export function backgroundCookies() {
  http.get(`${BASE}/setcookie?name=shared&value=vu`);
  createBackgroundScript('bg', { exec: 'bgCookies' }, { dictionary: 'shared', stop: 'script' });
  ok(waitForBackgroundScriptToFinish('bg', '5s'), `background script: ${getBackgroundScriptStatus('bg')}`);
  eq(getString('bgSaw', 'nothing'), '{"shared":"vu"}', 'the background script sees the VU cookie');
  eq(http.get(`${BASE}/cookies`).json(), { bg: 'set', shared: 'vu' }, 'the VU sees the background cookie');
}

export function bgCookies() {
  setString('bgSaw', JSON.stringify(http.get(`${BASE}/cookies`).json()));
  http.get(`${BASE}/setcookie?name=bg&value=set`);
}

export function redirects() {
  let r = http.get(`${BASE}/redirect?n=3`);
  eq([r.status, r.url, r.json().path], [200, `${BASE}/echo`, '/echo'], 'followed');
  r = http.get(`${BASE}/redirect?n=3`, { redirects: 2 });
  eq([r.status, r.headers.Location, r.url], [302, '/echo', `${BASE}/redirect?n=1`], 'limited');
  r = http.get(`${BASE}/redirect?n=1`, { redirects: 0 });
  eq([r.status, r.url], [302, `${BASE}/redirect?n=1`], 'not followed');
  r = http.get(`${BASE}/redirect?n=11`);
  eq(r.status, 302, 'default limit of 10');
  r = http.post(`${BASE}/redirect?n=1&code=307`, 'keep me');
  eq([r.json().method, r.json().body], ['POST', 'keep me'], '307 keeps the body');
  r = http.post(`${BASE}/redirect?n=1&code=303`, 'drop me', { headers: { 'Content-Type': 'text/plain' } });
  eq([r.json().method, r.json().body, r.json().headers['Content-Type']], ['GET', '', undefined], '303 turns into GET');
}

export function timeout() {
  eq(http.get(`${BASE}/echo`).status, 200, 'the default timeout'); // a later timeout must come sooner
  const started = Date.now();
  const r = http.get(`${BASE}/slow?ms=5000`, { timeout: '200ms' });
  eq([r.status, r.errorCode, r.body], [0, 1050, null], 'timed out');
  ok(/timeout after 200ms/.test(r.error), `error ${r.error}`);
  ok(Date.now() - started < 4500, `took ${Date.now() - started} ms: the server's 5 s, not the 200 ms timeout`);
  ok(r.timings.waiting > 0, `waiting ${r.timings.waiting}`);
  throws(() => http.get(`${BASE}/slow?ms=5000`, { timeout: 100, throw: true }), /GET .*slow.*timeout after 100ms/, 'throw');
  eq(http.get(`${BASE}/echo`).status, 200, 'a request after timeouts');
  eq(http.get(`${BASE}/echo`, { timeout: '5s' }).status, 200, 'fast, with a timeout of its own');
  eq(http.get(`${BASE}/slow?ms=400`, { timeout: '3s' }).body, 'slow', 'the short timeout of the request before does not apply');
}

export function refused() {
  const r = http.get(__ENV.REFUSED);
  eq([r.status, r.errorCode, r.body], [0, 1212, null], 'refused');
  ok(/refused/.test(r.error), `error ${r.error}`);
  eq(Object.keys(r.headers), [], 'no headers');
  throws(() => r.json(), /failed, there is no body/, 'json of a failure');
}

export function dns() {
  const r = http.get('http://no-such-host.invalid/', { timeout: '5s' });
  eq(r.status, 0, 'status');
  ok(r.error !== '' && r.errorCode > 0, `error ${r.error} (${r.errorCode})`);
}

export function tls() {
  const url = `${__ENV.TLS_BASE}/echo`;
  let r = http.get(url);
  eq([r.status, r.errorCode], [0, 1310], 'verified by default');
  ok(/certificate/.test(r.error), `error ${r.error}`);
  r = http.get(url, { insecureSkipTLSVerify: true });
  eq(r.status, 200, 'insecureSkipTLSVerify');
  ok(r.timings.tlsHandshaking > 0, `tlsHandshaking ${r.timings.tlsHandshaking}`);
  http.setDefaults({ insecureSkipTLSVerify: true });
  eq(http.get(url).status, 200, 'insecureSkipTLSVerify by default');
}

export function reset() {
  const r = http.get(`${BASE}/reset`);
  eq([r.status, r.body], [0, null], 'reset');
  ok(/read body/.test(r.error), `error ${r.error}`);
}

export function batch() {
  const rs = http.batch([
    ['GET', `${BASE}/echo?i=0`],
    ['POST', `${BASE}/echo?i=1`, 'b1', { headers: { 'X-I': '1' } }],
    { method: 'PUT', url: `${BASE}/echo?i=2`, body: { f: 'v' } },
    `${BASE}/echo?i=3`,
    ['GET', __ENV.REFUSED],
  ]);
  ok(Array.isArray(rs), 'array in, array out');
  eq(rs.map((r) => r.status), [200, 200, 200, 200, 0], 'statuses');
  eq(rs.slice(0, 4).map((r) => r.json().query), ['i=0', 'i=1', 'i=2', 'i=3'], 'order');
  eq([rs[1].json().body, rs[1].json().headers['X-I'], rs[2].json().form], ['b1', ['1'], { f: ['v'] }], 'bodies');

  const named = http.batch({ a: `${BASE}/echo?n=a`, b: { url: `${BASE}/echo?n=b`, method: 'DELETE' } });
  eq(Object.keys(named), ['a', 'b'], 'named keys');
  eq([named.a.json().query, named.b.json().method], ['n=a', 'DELETE'], 'named');

  eq(http.batch([]), [], 'empty');
  throws(() => http.batch([['GET', 'nope']]), /batch: request 0: invalid URL/, 'bad request');
  throws(() => http.batch([['GET', __ENV.REFUSED, null, { throw: true }]]), /refused/, 'throw');
}

export function batchParallel() {
  const started = Date.now();
  const rs = http.batch([1, 2, 3].map((i) => `${BASE}/slow?ms=200&i=${i}`));
  const took = Date.now() - started;
  eq(rs.map((r) => r.status), [200, 200, 200], 'statuses');
  ok(took < 500, `three 200 ms requests took ${took} ms: not in parallel`);
}

export function responseTypes() {
  let r = http.get(`${BASE}/binary`, { responseType: 'binary' });
  ok(r.body instanceof ArrayBuffer, `body ${r.body}`);
  const b = new Uint8Array(r.body);
  eq([b.length, b[0], b[255]], [256, 0, 255], 'binary');
  r = http.get(`${BASE}/json`, { responseType: 'binary' });
  eq(r.json('n'), 42, 'json of a binary body');
  r = http.get(`${BASE}/binary`, { responseType: 'none' });
  eq([r.status, r.body], [200, null], 'none');
  throws(() => r.json(), /discarded/, 'json of none');
  throws(() => http.get(`${BASE}/binary`, { responseType: 'blob' }), /invalid responseType/, 'bad type');
}

export function json() {
  const r = http.get(`${BASE}/json`);
  eq(r.json(), { a: { b: [1, { c: 'x' }] }, n: 42 }, 'json');
  ok(r.json() === r.json(), 'parsed once');
  eq([r.json('a.b[1].c'), r.json('a.b.0'), r.json('n'), r.json('a.zz.q')], ['x', 1, 42, undefined], 'selectors');
  const e = throws(() => http.get(`${BASE}/badjson`).json(), /not valid JSON/, 'bad json');
  const msg = String(e);
  ok(/SyntaxError/.test(msg) && msg.includes(`GET ${BASE}/badjson`), `names the request: ${msg}`);
  ok(/at byte 16 \(line 2, column 7\)/.test(msg), `names the position: ${msg}`);
  ok(msg.includes('the body starts with "{\\"a\\": 1,\\n \\"b\\": oops}"'), `shows the body: ${msg}`);
}

export function responseObject() {
  const r = http.get(`${BASE}/echo`);
  eq(Object.keys(r), ['status', 'statusText', 'proto', 'url', 'headers', 'body', 'timings', 'error', 'errorCode', 'request'], 'keys');
  eq([r.error, r.errorCode, r.url], ['', 0, `${BASE}/echo`], 'fields');
  eq([typeof r.json, 'json' in r, r.json('method')], ['function', true, 'GET'], 'json() is a method');
  const t = r.timings;
  eq(Object.keys(t), ['blocked', 'connecting', 'tlsHandshaking', 'sending', 'waiting', 'receiving', 'duration'], 'timing keys');
  ok(t.duration > 0 && Math.abs(t.duration - (t.sending + t.waiting + t.receiving)) < 1e-9, `duration ${JSON.stringify(t)}`);
  ok(t.connecting > 0, `first request connects: ${JSON.stringify(t)}`);
  eq(http.get(`${BASE}/echo`).timings.connecting, 0, 'keep-alive');
  r.mine = 1;
  r.status = 299;
  eq([r.mine, r.status], [1, 299], 'own fields');
  const copy = JSON.parse(JSON.stringify(r));
  eq([copy.status, copy.mine, typeof copy.timings.waiting, copy.headers['X-Custom']], [299, 1, 'number', 'yes'], 'stringify');
  throws(() => http.get('ftp://x/'), /invalid URL/, 'scheme');
  throws(() => http.get(`${BASE}/echo`, { header: {} }), /unknown param "header"/, 'unknown param');
  throws(() => http.get(), /missing URL/, 'no URL');
}

export function auth() {
  let r = http.get(BASE.replace('http://', 'http://ann:s3cret@') + '/echo', { auth: 'basic' });
  eq(r.json().headers.Authorization, ['Basic YW5uOnMzY3JldA=='], 'basic from URL');
  ok(!r.url.includes('s3cret'), `url hides the password: ${r.url}`);
  r = http.get(`${BASE}/echo`, { auth: { username: 'bob', password: 'pw' } });
  eq(r.json().headers.Authorization, ['Basic Ym9iOnB3'], 'basic from object');
  throws(() => http.get(`${BASE}/echo`, { auth: 'basic' }), /has none/, 'basic without credentials');
  throws(() => http.get(`${BASE}/echo`, { auth: 'ntlm' }), /unsupported auth/, 'ntlm');
  throws(() => http.get(`${BASE}/echo`, { auth: 'digest' }), /has none/, 'digest without credentials');
  throws(() => http.get(`${BASE}/echo`, { auth: { username: 'a', scheme: 'kerberos' } }), /unsupported scheme/, 'scheme');
}

export function digest() {
  const withURL = BASE.replace('http://', 'http://ann:s3cret@');
  for (const q of ['', '?qop=auth', '?algorithm=MD5&qop=auth', '?algorithm=SHA-256&qop=auth', '?algorithm=MD5-sess&qop=auth',
    '?algorithm=SHA-256-sess&qop=auth']) {
    const r = http.get(`${withURL}/digest${q}`, { auth: 'digest' });
    eq([r.status, r.body], [200, 'welcome'], `digest ${q} from the URL`);
    const o = http.post(`${BASE}/digest${q}`, 'data', { auth: { username: 'ann', password: 's3cret', scheme: 'digest' } });
    eq([o.status, o.body], [200, 'welcome'], `digest ${q} from { username, password, scheme }`);
  }
  let r = http.get(`${TLS_BASE()}/digest?qop=auth`, { auth: { username: 'ann', password: 's3cret', scheme: 'digest' }, insecureSkipTLSVerify: true });
  eq([r.status, r.proto], [200, 'HTTP/1.1'], 'digest over https');
  r = http.get(`${BASE}/digest?qop=auth`, { auth: { username: 'ann', password: 'wrong', scheme: 'digest' } });
  eq(r.status, 401, 'wrong password: the second 401 is the answer');
  r = http.get(`${BASE}/digest?qop=auth`, { auth: { username: 'ann', password: 's3cret' } });
  eq(r.status, 401, 'basic to a digest server');
  r = http.get(`${BASE}/digest?algorithm=SHA-512&qop=auth`, { auth: { username: 'ann', password: 's3cret', scheme: 'digest' } });
  ok(r.status === 0 && /digest algorithm "SHA-512"/.test(r.error), `unknown algorithm: ${r.status} ${r.error}`);
}

function TLS_BASE() { return __ENV.TLS_BASE; }

export function encodings() {
  for (const base of [BASE, __ENV.TLS_BASE, __ENV.H2_BASE]) {
    for (const coding of ['gzip', 'deflate', 'raw-deflate', 'br', 'zstd', 'gzip, br']) {
      for (const ae of [undefined, 'gzip, deflate, br, zstd']) {
        const params = { insecureSkipTLSVerify: true, headers: ae ? { 'Accept-Encoding': ae } : {} };
        const r = http.get(`${base}/encoded?coding=${encodeURIComponent(coding)}`, params);
        const what = `${coding} from ${base} (${r.proto}), Accept-Encoding ${ae}`;
        eq([r.status, r.error], [200, ''], what);
        ok(r.body === 'decoded text '.repeat(500), `${what}: body not decoded: ${r.body.slice(0, 30)}`);
        eq(r.headers['X-Accept-Encoding'], ae || 'gzip', `${what}: asked for`);
        eq(r.headers['Content-Encoding'], coding === 'raw-deflate' ? 'deflate' : coding, `${what}: headers as sent`);
      }
    }
    const r = http.get(`${base}/encoded?coding=corrupt`, { insecureSkipTLSVerify: true });
    ok(r.status === 0 && r.errorCode === 1701 && /decode gzip body/.test(r.error), `corrupt gzip: ${r.status} ${r.errorCode} ${r.error}`);
  }
  const r = http.get(`${BASE}/echo`, { headers: { Range: 'bytes=0-' } });
  eq(r.json().headers['Accept-Encoding'], undefined, 'no encoding asked with a Range');
}

// Bodies without a Content-Length are read into a slice the size of the
// URL's last one: larger, smaller and equal ones in turn come whole.
export function unsizedBodies() {
  const digits = (n) => '0123456789'.repeat(n / 10 + 1).slice(0, n);
  for (const n of [10, 100000, 50, 200000, 200000, 3, 0, 70000]) {
    for (const responseType of ['text', 'binary']) {
      const r = http.get(`${BASE}/chunked?n=${n}`, { responseType });
      const body = responseType === 'text' ? r.body : String.fromCharCode(...new Uint8Array(r.body).slice(0, 20));
      eq([r.status, r.error, responseType === 'text' ? body.length : r.body.byteLength], [200, '', n], `${n} bytes as ${responseType}`);
      ok(body.startsWith(digits(Math.min(n, 20))), `${n} bytes as ${responseType}: ${body.slice(0, 20)}`);
      if (responseType === 'text') eq(body, digits(n), `${n} bytes`);
    }
  }
}

// Over HTTP/2 (TestHTTPS counts the connections): requests in turn and a
// batch, all on one connection.
export function httpsH2() {
  const base = __ENV.HTTPS_BASE;
  http.setDefaults({ insecureSkipTLSVerify: true });
  for (let i = 0; i < 3; i++) {
    const r = http.get(`${base}/echo?i=${i}`);
    eq([r.status, r.proto, r.json().query], [200, 'HTTP/2.0', `i=${i}`], `GET ${i}`);
  }
  const rs = http.batch([...Array(10).keys()].map((i) => ['POST', `${base}/echo?b=${i}`, `body ${i}`]));
  eq(rs.map((r) => [r.status, r.proto, r.json().body]), [...Array(10).keys()].map((i) => [200, 'HTTP/2.0', `body ${i}`]), 'batch');
}

// Over TLS HTTP/1.1 (TestHTTPS counts the connections and resumed
// sessions): a first request, then a batch of 5 slow ones, which need 5
// connections at once; the 4 new ones resume the first one's session.
export function httpsH1() {
  const base = __ENV.HTTPS_BASE;
  http.setDefaults({ insecureSkipTLSVerify: true });
  const first = http.get(`${base}/echo`);
  eq([first.status, first.proto], [200, 'HTTP/1.1'], 'first');
  ok(first.timings.tlsHandshaking > 0, `tlsHandshaking ${first.timings.tlsHandshaking}`);
  const rs = http.batch([...Array(5).keys()].map((i) => `${base}/slow?ms=300&i=${i}`));
  eq(rs.map((r) => [r.status, r.body]), [...Array(5).keys()].map(() => [200, 'slow']), 'batch');
  eq(http.get(`${base}/echo`).timings.tlsHandshaking, 0, 'a kept-alive connection: no handshake');
}

export function head() {
  for (const base of [BASE, __ENV.TLS_BASE, __ENV.H2_BASE]) {
    const r = http.head(`${base}/echo`, { insecureSkipTLSVerify: true });
    eq([r.status, r.error, r.headers['Content-Length'], r.body], [200, '', '123', ''], `HEAD ${base} (${r.proto})`);
  }
  eq(http.head(`${__ENV.H2_BASE}/echo`, { insecureSkipTLSVerify: true }).proto, 'HTTP/2.0', 'HTTP/2');
}

// Responses the script drops (a statement of the call alone: their bodies are
// not kept) are read as kept ones are: a failure still fails, and throws with
// throw: true. The function called is the one the script sees.
export function droppedResponses() {
  const F = __ENV.FAULTS;
  const params = { maxResponseBodySize: '1MiB', throw: true };
  http.get(`${BASE}/bytes`, params);
  void http.post(`${BASE}/echo`, 'x', params);
  http.request('PUT', `${BASE}/echo`, 'y', params);
  for (let i = 0; i < 3; i++) http.get(`${BASE}/chunked?n=${100000 * i}`, params);
  eq(http.get(`${BASE}/chunked?n=100000`).body.length, 100000, 'a kept body after dropped ones of its URL');
  http.batch([`${BASE}/bytes`, ['POST', `${BASE}/echo`, 'z', params]]);
  http.get(`${F}/bomb?mib=8`, { maxResponseBodySize: 1024, responseType: 'none', throw: true });
  throws(() => { http.get(`${F}/endless`, params); }, /larger than maxResponseBodySize \(1 MiB\)/, 'endless body');
  throws(() => { http.get(`${F}/bomb?mib=64`, params); }, /larger than maxResponseBodySize/, 'gzip bomb');
  throws(() => { http.get(`${BASE}/bytes`, { maxResponseBodySize: 99, throw: true }); }, /larger than maxResponseBodySize/, 'Content-Length past the limit');
  throws(() => { http.get(`${BASE}/encoded?coding=corrupt`, params); }, /decode gzip body/, 'corrupt gzip');
  throws(() => { http.del(__ENV.REFUSED, null, params); }, /refused/, 'refused');
  throws(() => { http.batch([['GET', __ENV.REFUSED, null, params]]); }, /refused/, 'a batch');
  throws(() => { http.get('nope'); }, /http.get: invalid URL/, 'a bad URL');
  eq(http.get(`${F}/ok`).status, 200, 'the next request works');

  // A dropped response's head is read into memory the next response reuses:
  // what is kept of it (cookies, a redirect's target) must not change then.
  http.get(`${BASE}/setcookie?name=sid&value=first-session-value`);
  http.get(`${BASE}/setcookie?name=other&value=x`);
  for (let i = 0; i < 5; i++) http.get(`${BASE}/bytes?n=${i}`);
  http.get(`${BASE}/redirect?n=2`);
  for (let i = 0; i < 5; i++) http.get(`${BASE}/status?code=${200 + i}`);
  eq(http.get(`${BASE}/cookies`).json(), { other: 'x', sid: 'first-session-value' }, 'cookies of dropped responses');

  const real = http.get;
  let seen;
  http.get = function (u) { seen = [this === http, u]; return 'replaced'; };
  try {
    http.get('u');
  } finally {
    http.get = real;
  }
  eq(seen, [true, 'u'], 'a replaced http.get');

  const other = { get(u) { seen = [this === other, u]; } };
  (function (http) { http.get('v'); })(other);
  eq(seen, [true, 'v'], 'a parameter named http');
}

// TestDroppedResponses compares the memory these allocate.
const big = `${BASE}/bytes?n=102400`;
export function keptBodies() {
  for (let i = 0; i < 20; i++) {
    const r = http.get(big);
    if (r.body.length !== 102400) throw new Error(`body of ${r.body.length} bytes`);
  }
}
export function droppedBodies() {
  for (let i = 0; i < 20; i++) http.get(big);
}
export function droppedNamed() {
  for (let i = 0; i < 20; i++) get(big);
}

export function bodyLimit() {
  const F = __ENV.FAULTS;
  for (const [path, what] of [['/endless', 'endless body'], ['/bomb?mib=64', 'gzip bomb']]) {
    const r = http.get(F + path, { maxResponseBodySize: '1MiB' });
    eq([r.status, r.errorCode, r.body], [0, 1702, null], what);
    ok(/larger than maxResponseBodySize \(1 MiB\)/.test(r.error), `${what}: ${r.error}`);
  }
  eq(http.get(`${F}/ok`).status, 200, 'the next request works');
  eq(http.get(`${F}/bomb?mib=2`, { maxResponseBodySize: 2 * 1024 * 1024 }).body.length, 2 * 1024 * 1024, 'up to the limit');
  eq(http.get(`${F}/bomb?mib=2`, { maxResponseBodySize: '2MB' }).errorCode, 1702, 'MB are 10^6 bytes');
  eq(http.get(`${BASE}/bytes`, { maxResponseBodySize: 99 }).errorCode, 1702, 'Content-Length past the limit');
  eq(http.get(`${BASE}/bytes`, { maxResponseBodySize: 100 }).body.length, 100, 'Content-Length at the limit');
  eq([http.get(`${F}/bomb?mib=8`, { maxResponseBodySize: 1024, responseType: 'none' }).status], [200], 'none: no limit');
  http.setDefaults({ maxResponseBodySize: '50B' });
  eq(http.get(`${BASE}/bytes`).errorCode, 1702, 'setDefaults');
  http.setDefaults({});
  throws(() => http.get(`${BASE}/echo`, { maxResponseBodySize: 'lots' }), /param maxResponseBodySize: invalid size "lots"/, 'bad size');
  throws(() => http.get(`${BASE}/echo`, { maxResponseBodySize: 0 }), /at least 1/, 'zero');
}

export async function asyncRequests() {
  const started = Date.now();
  const [a, b] = await Promise.all([
    http.asyncRequest('GET', `${BASE}/slow?ms=200`),
    http.asyncRequest('POST', `${BASE}/echo`, 'x'),
  ]);
  eq([a.status, a.body, b.json().body], [200, 'slow', 'x'], 'async');
  ok(Date.now() - started < 10000, 'async took too long');
  let err;
  await http.asyncRequest('GET', __ENV.REFUSED, null, { throw: true }).catch((e) => { err = e; });
  ok(/refused/.test(String(err)), `rejected with ${err}`);
}

export function hang() {
  http.get(`${BASE}/slow?ms=10000`);
  throw new Error('the request should have been aborted');
}

export async function hangAsync() {
  await http.asyncRequest('GET', `${BASE}/slow?ms=10000`);
  throw new Error('the request should have been aborted');
}

export default function () {}
