// Web platform APIs in every runtime: a signed API request as many services want
// it (HMAC-SHA256 over the method, path and query, base64 in a header), built with
// URL, TextEncoder and crypto.subtle; an ECDSA key made in setup() and passed to
// the VUs as a JWK; a background script that checks signatures beside the main flow.
// Run it: go run ./cmd/jsload run examples/js/webcrypto.js
import { check, vu } from 'jsload';

// One browser per VU, so that the verifier vuInit starts runs beside every iteration.
export const options = { vus: 2, iterations: 6, newBrowserEachIteration: false };

const API = 'http://127.0.0.1:8080/api/orders';
const SECRET = new TextEncoder().encode(__ENV.API_SECRET || 'not-a-real-secret');

export async function setup() {
  const { privateKey } = await crypto.subtle.generateKey({ name: 'ECDSA', namedCurve: 'P-256' }, true, ['sign']);
  return { signingKey: await crypto.subtle.exportKey('jwk', privateKey) };
}

// signedURL returns the request URL with a timestamp and its HMAC signature.
async function signedURL(page) {
  const url = new URL(API);
  url.searchParams.set('page', String(page));
  url.searchParams.set('ts', String(Date.now()));
  const key = await crypto.subtle.importKey('raw', SECRET, { name: 'HMAC', hash: 'SHA-256' }, false, ['sign']);
  const mac = await crypto.subtle.sign('HMAC', key, new TextEncoder().encode(`GET ${url.pathname}${url.search}`));
  url.searchParams.set('sig', btoa(String.fromCharCode(...new Uint8Array(mac))));
  return url;
}

export function vuInit(data) {
  createBackgroundScript('verifier', { exec: 'verifier' }, { loop: true, pause: '10ms', stop: 'vu', args: data });
}

export async function verifier(data) {
  const jwk = { ...data.signingKey, d: undefined, key_ops: ['verify'] };
  const pub = await crypto.subtle.importKey('jwk', jwk, { name: 'ECDSA', namedCurve: 'P-256' }, false, ['verify']);
  const priv = await crypto.subtle.importKey('jwk', data.signingKey, { name: 'ECDSA', namedCurve: 'P-256' }, false, ['sign']);
  const body = new TextEncoder().encode(crypto.randomUUID());
  const sig = await crypto.subtle.sign({ name: 'ECDSA', hash: 'SHA-256' }, priv, body);
  setBoolean('signatureOK', await crypto.subtle.verify({ name: 'ECDSA', hash: 'SHA-256' }, pub, sig, body));
}

export default async function () {
  const url = await signedURL(vu.iteration + 1);
  check(url, {
    'the query is in href': (u) => u.href.includes('?page=') && u.href.includes('&sig='),
    'the signature is base64': (u) => atob(u.searchParams.get('sig')).length === 32,
  });
  check(waitForBoolean('signatureOK', '5s'), { 'the background script verified a signature': (ok) => ok === true });
}

export function teardown(data) {
  const copy = structuredClone(data);
  check(copy, { 'teardown sees the key made in setup': (c) => c.signingKey.kty === 'EC' && c !== data });
}
