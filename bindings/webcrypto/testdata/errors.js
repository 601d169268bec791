// Errors as the Web Cryptography specification names them.
import { rejects, eq, ok, utf8 } from '../../webapi/testdata/assert.js';

const subtle = crypto.subtle;

export async function testNames() {
	const aes = await subtle.generateKey({ name: 'AES-GCM', length: 128 }, false, ['encrypt']);
	const hmac = await subtle.importKey('raw', new Uint8Array(16), { name: 'HMAC', hash: 'SHA-256' }, true, ['sign']);
	const cases = [
		[subtle.digest('MD5', utf8('x')), 'NotSupportedError', 'not a recognized algorithm'],
		[subtle.digest('HMAC', utf8('x')), 'NotSupportedError', 'not supported for digest'],
		[subtle.digest('SHA-256', 'text'), 'TypeError', 'ArrayBuffer'],
		[subtle.digest({}, utf8('x')), 'TypeError', 'no name'],
		[subtle.importKey('raw', new Uint8Array(16), 'HMAC', false, ['sign']), 'TypeError', "'hash' is required"],
		[subtle.importKey('raw', new Uint8Array(15), 'AES-GCM', false, ['encrypt']), 'DataError', '16, 24 or 32'],
		[subtle.importKey('raw', new Uint8Array(16), 'AES-GCM', false, ['sign']), 'SyntaxError', "'sign' is not allowed"],
		[subtle.importKey('raw', new Uint8Array(16), 'AES-GCM', false, []), 'SyntaxError', 'cannot be empty'],
		[subtle.importKey('raw', new Uint8Array(16), 'AES-GCM', false, ['fly']), 'TypeError', 'not a valid key usage'],
		[subtle.importKey('der', new Uint8Array(16), 'AES-GCM', false, ['encrypt']), 'TypeError', 'not a key format'],
		[subtle.importKey('spki', new Uint8Array(16), 'AES-GCM', false, ['encrypt']), 'NotSupportedError', "'raw'"],
		[subtle.importKey('spki', new Uint8Array(16), { name: 'ECDSA', namedCurve: 'P-256' }, false, ['verify']), 'DataError', 'SPKI'],
		[subtle.importKey('raw', new Uint8Array(65), { name: 'ECDSA', namedCurve: 'P-192' }, false, ['verify']), 'NotSupportedError', 'P-192'],
		[subtle.importKey('raw', utf8('pw'), 'PBKDF2', true, ['deriveBits']), 'SyntaxError', 'extractable'],
		[subtle.importKey('jwk', { kty: 'oct', k: 'AAAAAAAAAAAAAAAAAAAAAA', alg: 'A256GCM' }, 'AES-GCM', false, ['encrypt']), 'DataError', 'A128GCM'],
		[subtle.importKey('jwk', { kty: 'oct', k: 'AAAAAAAAAAAAAAAAAAAAAA', ext: false }, 'AES-GCM', true, ['encrypt']), 'DataError', 'ext'],
		[subtle.importKey('jwk', { kty: 'oct', k: 'AAAAAAAAAAAAAAAAAAAAAA', key_ops: ['decrypt'] }, 'AES-GCM', false, ['encrypt']), 'DataError', 'key_ops'],
		[subtle.importKey('jwk', { kty: 'RSA', k: 'AA' }, 'AES-GCM', false, ['encrypt']), 'DataError', 'kty'],
		[subtle.exportKey('raw', aes), 'InvalidAccessError', 'not extractable'],
		[subtle.exportKey('spki', hmac), 'NotSupportedError', "'raw' or 'jwk'"],
		[subtle.encrypt({ name: 'AES-GCM', iv: new Uint8Array(12) }, hmac, utf8('x')), 'InvalidAccessError', 'HMAC key'],
		[subtle.decrypt({ name: 'AES-GCM', iv: new Uint8Array(12) }, aes, new Uint8Array(32)), 'InvalidAccessError', "'decrypt'"],
		[subtle.encrypt({ name: 'AES-GCM', iv: new Uint8Array(12), tagLength: 100 }, aes, utf8('x')), 'OperationError', 'tagLength'],
		[subtle.encrypt({ name: 'AES-GCM' }, aes, utf8('x')), 'TypeError', "'iv' is required"],
		[subtle.generateKey({ name: 'AES-CBC', length: 100 }, false, ['encrypt']), 'OperationError', '128, 192 or 256'],
		[subtle.generateKey({ name: 'ECDSA', namedCurve: 'P-256' }, false, ['verify']), 'SyntaxError', 'cannot be empty'],
		[subtle.generateKey({ name: 'ECDSA', namedCurve: 'P-256' }, false, ['encrypt']), 'SyntaxError', "'encrypt' is not allowed"],
		[subtle.sign('HMAC', {}, utf8('x')), 'TypeError', 'CryptoKey'],
	];
	for (const [i, [p, name, part]] of cases.entries()) {
		const e = await rejects(p, name, part, `case ${i}`);
		ok(name === 'TypeError' ? e instanceof TypeError : e instanceof DOMException, `case ${i}: class`);
		ok(e.message.startsWith('crypto.subtle.'), `case ${i}: message names the method`);
	}
}

export async function testOperationErrors() {
	const iv = new Uint8Array(16);
	const k = await subtle.importKey('raw', new Uint8Array(16), 'AES-CBC', false, ['encrypt', 'decrypt']);
	const other = await subtle.importKey('raw', new Uint8Array(16).fill(1), 'AES-CBC', false, ['decrypt']);
	const ct = await subtle.encrypt({ name: 'AES-CBC', iv }, k, utf8('hello'));
	await rejects(subtle.decrypt({ name: 'AES-CBC', iv }, other, ct), 'OperationError', 'padding', 'wrong key');
	await rejects(subtle.encrypt({ name: 'AES-CBC', iv: new Uint8Array(8) }, k, utf8('x')), 'OperationError', '16 bytes', 'short iv');
	const pw = await subtle.importKey('raw', utf8('pw'), 'PBKDF2', false, ['deriveBits']);
	await rejects(subtle.deriveBits({ name: 'PBKDF2', salt: utf8('s'), iterations: 0, hash: 'SHA-256' }, pw, 256), 'OperationError', 'iterations', 'zero iterations');
	await rejects(subtle.deriveBits({ name: 'PBKDF2', salt: utf8('s'), iterations: 1, hash: 'SHA-256' }, pw, null), 'OperationError', 'multiple of 8', 'no length');
	const a = await subtle.generateKey({ name: 'ECDH', namedCurve: 'P-256' }, false, ['deriveBits']);
	const b = await subtle.generateKey({ name: 'ECDH', namedCurve: 'P-384' }, false, ['deriveBits']);
	await rejects(subtle.deriveBits({ name: 'ECDH', public: b.publicKey }, a.privateKey, 256), 'InvalidAccessError', 'P-384', 'curves differ');
	const kw = await subtle.importKey('raw', new Uint8Array(16), 'AES-KW', false, ['unwrapKey']);
	await rejects(subtle.unwrapKey('raw', new Uint8Array(24), kw, 'AES-KW', 'AES-GCM', true, ['encrypt']), 'OperationError', 'integrity', 'bad wrapped key');
}

export async function testSyncThrowsNothing() {
	let p;
	try {
		p = subtle.digest();
	} catch (e) {
		throw new Error('a SubtleCrypto method threw instead of rejecting: ' + e);
	}
	eq(p instanceof Promise, true, 'returns a promise');
	await rejects(p, 'TypeError', 'algorithm is required', 'rejected');
}
