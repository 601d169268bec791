// k6/encoding as k6's documentation shows it; each test* function throws on failure.
import encoding from 'k6/encoding';
import { b64decode, b64encode } from 'k6/encoding';
import { eq, throws } from 'jstest/assert';

export function testEncode() {
  eq(b64encode('hello world'), 'aGVsbG8gd29ybGQ=', 'std by default');
  eq(encoding.b64encode('hello world', 'std'), 'aGVsbG8gd29ybGQ=', 'std');
  eq(b64encode('hello world', 'rawstd'), 'aGVsbG8gd29ybGQ', 'rawstd');
  eq(b64encode('\u00fb\u00ff?', 'url'), 'w7vDvz8=', 'url (UTF-8 of the string)');
  eq(b64encode('\u00fb\u00ff?', 'rawurl'), 'w7vDvz8', 'rawurl');
  eq(b64encode(new Uint8Array([0xfb, 0xff]).buffer), '+/8=', 'an ArrayBuffer');
  eq(b64encode(new Uint8Array([0xfb, 0xff]), 'url'), '-_8=', 'a typed array');
  throws(() => b64encode('x', 'base32'), /unknown encoding "base32"/, 'an unknown encoding');
  throws(() => b64encode({}), /must be a string or an ArrayBuffer/, 'an object');
}

export function testDecode() {
  eq(b64decode('aGVsbG8gd29ybGQ=', 'std', 's'), 'hello world', "'s' gives a string");
  eq(b64decode(b64encode('hello world', 'url'), 'url', 's'), 'hello world', 'a round trip');
}

export function testDecodeVariants() {
  const ab = b64decode('aGk=');
  eq(ab instanceof ArrayBuffer, true, 'an ArrayBuffer by default');
  eq(Array.from(new Uint8Array(ab)), [104, 105], 'its bytes');
  eq(b64decode('aGk', 'rawstd', 's'), 'hi', 'rawstd');
  eq(b64decode('-_8=', 'url').byteLength, 2, 'url');
  eq(b64decode('-_8', 'rawurl').byteLength, 2, 'rawurl');
  throws(() => b64decode('aGk', 'std'), /b64decode: illegal base64 data/, 'missing padding with std');
  throws(() => b64decode('!!', 'std'), /illegal base64/, 'bad input');
}
