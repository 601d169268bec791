// k6/crypto against the published test vectors (RFC 1320, 1321, 3174, 4231,
// FIPS 180-4, RIPEMD-160's authors); each test* function throws on failure.
import crypto from 'k6/crypto';
import { createHMAC, hmac, md5, randomBytes, sha256 } from 'k6/crypto';
import { eq, ok, throws } from 'jstest/assert';

export function testHashes() {
  eq(crypto.md4('abc', 'hex'), 'a448017aaf21d8525fc10ae87aa6729d', 'md4');
  eq(md5('abc', 'hex'), '900150983cd24fb0d6963f7d28e17f72', 'md5');
  eq(crypto.sha1('abc', 'hex'), 'a9993e364706816aba3e25717850c26c9cd0d89d', 'sha1');
  eq(sha256('abc', 'hex'), 'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad', 'sha256');
  eq(crypto.sha384('abc', 'hex'), 'cb00753f45a35e8bb5a03d699ac65007272c32ab0eded1631a8b605a43ff5bed8086072ba1e7cc2358baeca134c825a7', 'sha384');
  eq(crypto.sha512('abc', 'hex'), 'ddaf35a193617abacc417349ae20413112e6fa4e89a97ea20a9eeee64b55d39a2192992a274fc1a836ba3c23a3feebbd454d4423643ce80e2a9ac94fa54ca49f', 'sha512');
  eq(crypto.sha512_224('abc', 'hex'), '4634270f707b6a54daae7530460842e20e37ed265ceee9a43e8924aa', 'sha512_224');
  eq(crypto.sha512_256('abc', 'hex'), '53048e2681941ef99b2e29b76b4c7dabe4c2d0c634fc6d46e0e2f13107e7af23', 'sha512_256');
  eq(crypto.ripemd160('abc', 'hex'), '8eb208f7e05d987a9b044a8e98c6b087f15a0bfc', 'ripemd160');
}

export function testEncodings() {
  eq(md5('abc', 'base64'), 'kAFQmDzST7DWlj99KOF/cg==', 'base64');
  eq(md5('abc', 'base64url'), 'kAFQmDzST7DWlj99KOF_cg==', 'base64url');
  eq(md5('abc', 'base64rawurl'), 'kAFQmDzST7DWlj99KOF_cg', 'base64rawurl');
  const bin = md5('abc', 'binary');
  ok(bin instanceof ArrayBuffer && bin.byteLength === 16, 'binary is an ArrayBuffer');
  eq(crypto.hexEncode(bin), '900150983cd24fb0d6963f7d28e17f72', 'hexEncode');
  eq(md5(new Uint8Array([97, 98, 99]).buffer, 'hex'), '900150983cd24fb0d6963f7d28e17f72', 'an ArrayBuffer input');
  throws(() => md5('abc'), /invalid output encoding none/, 'no encoding');
  throws(() => md5('abc', 'base32'), /invalid output encoding base32/, 'a bad encoding');
}

export function testHMAC() {
  // RFC 4231, test case 2.
  const want = '5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843';
  eq(hmac('sha256', 'Jefe', 'what do ya want for nothing?', 'hex'), want, 'hmac');
  const h = createHMAC('sha256', 'Jefe');
  h.update('what do ya ').update('want for nothing?');
  eq(h.digest('hex'), want, 'createHMAC with update');
  throws(() => hmac('sha3', 'k', 'x', 'hex'), /unknown hash algorithm "sha3"/, 'an unknown algorithm');
}

export function testCreateHash() {
  const h = crypto.createHash('sha1');
  h.update('a');
  h.update('bc');
  eq(h.digest('hex'), 'a9993e364706816aba3e25717850c26c9cd0d89d', 'incremental sha1');
}

export function testRandomBytes() {
  const a = new Uint8Array(randomBytes(32)), b = new Uint8Array(randomBytes(32));
  eq(a.length, 32, 'the size');
  ok(a.some((x, i) => x !== b[i]), 'two draws differ');
  throws(() => randomBytes(-1), /the size must be/, 'a negative size');
}
