// k6/http as k6 scripts use it, against the Go test's server (__ENV.BASE); each
// test* function throws on failure.
import http from 'k6/http';
import { check, group } from 'k6';
import { eq, ok, throws } from 'jstest/assert';

const BASE = __ENV.BASE;
const uploadText = open('./upload.txt'); // open() works in the init context only

export function testResponseFields() {
  const res = http.get(`${BASE}/hello?x=1`);
  eq(res.status, 200, 'status');
  eq(res.status_text, '200 OK', 'status_text');
  eq(res.error_code, 0, 'error_code');
  eq(res.error, '', 'error');
  eq(res.remote_ip, '127.0.0.1', 'remote_ip');
  ok(res.remote_port > 0, 'remote_port');
  eq(res.tls_version, '', 'no TLS');
  eq(res.statusText, undefined, "jsload's name is not k6's");
  ok(typeof res.timings.tls_handshaking === 'number' && res.timings.looking_up === 0, 'timings in k6 names');
  eq(res.timings.tlsHandshaking, undefined, "jsload's timing name");
  eq(Object.keys(res).includes('status_text'), true, 'keys');
  eq(res.request.method, 'GET', 'request.method');
  eq(res.request.headers['User-Agent'].length, 1, 'request headers are arrays');
  eq(res.json('query'), 'x=1', 'json(selector)');
  eq(res.json().path, '/hello', 'json()');
  eq(http.TLS_1_3, 'tls1.3', 'TLS constant');
  eq(http.OCSP_STATUS_GOOD, 'good', 'OCSP constant');
  const failed = http.get('http://127.0.0.1:1/');
  eq(failed.status, 0, 'a refused connection');
  ok(failed.error_code >= 1000, `error_code ${failed.error_code}`);
}

export function testJSONSelectors() {
  const res = http.post(`${BASE}/x`, JSON.stringify({ items: [{ id: 1, name: 'a' }, { id: 2, name: 'b' }] }));
  const echoed = res.json('body');
  eq(JSON.parse(echoed).items.length, 2, 'the echo');
  const inner = http.post(`${BASE}/x`, echoed, { headers: { 'Content-Type': 'application/json' } });
  eq(JSON.parse(inner.json('body')).items[1].name, 'b', 'nested');
  const direct = http.request('POST', `${BASE}/x`, echoed);
  eq(direct.json('method'), 'POST', 'request()');
  eq(direct.json('nope.deeper'), undefined, 'a missing path');
}

export function testMethodsAndBatch() {
  eq(http.del(`${BASE}/d`).json('method'), 'DELETE', 'del');
  eq(http.put(`${BASE}/p`, 'x').json('body'), 'x', 'put');
  eq(http.patch(`${BASE}/p`, 'y').json('method'), 'PATCH', 'patch');
  eq(http.options(`${BASE}/o`).json('method'), 'OPTIONS', 'options');
  eq(http.head(`${BASE}/h`).status, 200, 'head');
  const rs = http.batch([['GET', `${BASE}/a`], { method: 'POST', url: `${BASE}/b`, body: 'z' }, `${BASE}/c`]);
  eq(rs.map((r) => r.json('path')), ['/a', '/b', '/c'], 'batch');
  eq(rs[1].status_text, '200 OK', 'batch responses are k6 responses');
}

export async function testAsyncRequest() {
  const res = await http.asyncRequest('GET', `${BASE}/async`);
  eq(res.json('path'), '/async', 'asyncRequest');
  eq(res.status_text, '200 OK', 'k6 names');
}

export function testForms() {
  const res = http.post(`${BASE}/f`, { a: '1', b: ['x', 'y'] });
  eq(res.json('body'), 'a=1&b=x&b=y', 'form body');
  eq(res.json('contentType'), 'application/x-www-form-urlencoded', 'form type');
}

export function testMultipart() {
  const data = uploadText;
  const res = http.post(`${BASE}/upload`, {
    field: 'value',
    file: http.file(data, 'notes.txt', 'text/plain'),
    bin: http.file(new Uint8Array([104, 105]).buffer, 'b.bin'),
  });
  eq(res.json('fields.field'), 'value', 'a plain field');
  eq(res.json('fields.file'), 'notes.txt:text/plain:uploaded text\n', 'a file');
  eq(res.json('fields.bin'), 'b.bin:application/octet-stream:hi', 'binary, default content type');
  const f = http.file('x');
  ok(f.filename.length > 0 && f.content_type === 'application/octet-stream', 'file defaults');
}

export function testOpenAtTop() {
  eq(uploadText, 'uploaded text\n', 'read at the top');
}

export function testCookies() {
  const set = http.get(`${BASE}/setcookie?name=session&value=abc`);
  eq(set.cookies.session[0].value, 'abc', 'res.cookies');
  eq(set.cookies.session[0].http_only, true, 'http_only');
  eq(set.cookies.session[0].max_age, 60, 'max_age');
  eq(http.get(`${BASE}/c`).json('cookies'), { session: 'abc' }, 'the VU jar sends it');
  const jar = http.cookieJar();
  eq(jar.cookiesForURL(BASE).session, ['abc'], 'cookiesForURL');
  jar.set(BASE, 'theme', 'dark');
  eq(http.get(`${BASE}/c`).json('cookies.theme'), 'dark', 'set');
  eq(http.get(`${BASE}/c`, { cookies: { extra: '1', theme: { value: 'light', replace: true } } }).json('cookies'),
    { extra: '1', session: 'abc', theme: 'light' }, 'params.cookies, replace');
  jar.delete(BASE, 'theme');
  eq(Object.keys(jar.cookiesForURL(BASE)), ['session'], 'delete');
  jar.clear(BASE);
  eq(jar.cookiesForURL(BASE), {}, 'clear');
  const own = new http.CookieJar();
  own.set(BASE, 'only', 'mine');
  eq(http.get(`${BASE}/c`, { jar: own }).json('cookies'), { only: 'mine' }, 'a jar of its own');
  eq(http.get(`${BASE}/c`).json('cookies'), {}, 'the VU jar is untouched');
  throws(() => jar.set('nope', 'a', 'b'), /invalid URL/, 'a bad URL');
  throws(() => http.get(BASE, { jar: {} }), /want a CookieJar/, 'a bad jar');
}

export function testCompression() {
  const body = 'squeeze me '.repeat(50);
  eq(http.post(`${BASE}/z`, body, { compression: 'gzip' }).json('body'), body, 'gzip');
  eq(http.post(`${BASE}/z`, body, { compression: 'gzip, br' }).json('body'), body, 'gzip then br');
  throws(() => http.post(`${BASE}/z`, body, { compression: 'lzma' }), /unknown compression algorithm "lzma"/, 'unknown');
}

export function testURLTemplate() {
  const id = 7;
  const u = http.url`${BASE}/items/${id}`;
  eq(u.url, `${BASE}/items/7`, 'url');
  eq(u.name, '${}/items/${}', 'name');
  eq(http.get(u).json('path'), '/items/7', 'requested');
}

export function testHTML() {
  const res = http.get(`${BASE}/page/`);
  const doc = res.html();
  eq(doc.find('h1').text(), 'Welcome', 'find/text');
  eq(res.html('li a').size(), 2, 'html(selector)');
  eq(doc.find('a').map((i, a) => a.attr('href')), ['/products/1', '../products/2'], 'map');
  const follow = res.clickLink({ selector: 'a.x' });
  eq(follow.json('path'), '/products/2', 'clickLink resolves a relative href');
  const sent = res.submitForm({ fields: { password: 'secret' } });
  eq(sent.json('method'), 'POST', 'submitForm uses the method');
  eq(sent.json('path'), '/submit', 'and the action');
  eq(sent.json('body'), 'user=alice&password=secret&remember=on&size=m&note=hi&go=Log+in', 'the fields');
  const search = res.submitForm({ formSelector: '#search' });
  eq(search.json('method'), 'GET', 'GET by default');
  eq(search.json('query'), 'q=pears', 'fields in the query');
  throws(() => res.submitForm({ formSelector: '#none' }), /no form for selector "#none"/, 'no form');
}

// statuses: the Go test reads the expected_response tags and http_req_failed.
export async function statuses() {
  let later;
  group('g', () => {
    http.get(`${BASE}/status/204`);
    later = http.asyncRequest('GET', `${BASE}/status/206`); // tagged as it was made
  });
  await later;
  http.get(`${BASE}/status/200`);
  eq(http.get(`${BASE}/status/404`).error_code, 1404, "k6's error_code of an HTTP error");
  http.get(`${BASE}/status/201`, { responseCallback: http.expectedStatuses(200, { min: 400, max: 499 }) });
  http.setResponseCallback(http.expectedStatuses({ min: 400, max: 418 }));
  http.get(`${BASE}/status/418`);
  http.setResponseCallback(null);
  http.get(`${BASE}/status/500`);
  http.setResponseCallback(http.expectedStatuses({ min: 200, max: 399 }));
  http.get(http.url`${BASE}/items/${1}`);
  http.get(http.url`${BASE}/items/${2}`);
  throws(() => http.expectedStatuses('x'), /neither an integer/, 'a bad status');
  throws(() => http.setResponseCallback(() => true), /want http.expectedStatuses/, 'a function callback');
}
