// Round trips: generated keys sign and verify, encrypt and decrypt, export and
// import back in every format, wrap and unwrap, derive.
import { eq, ok, hex, utf8 } from '../../webapi/testdata/assert.js';

const subtle = crypto.subtle;
const msg = utf8('jsload round trip');
const rsaGen = (name, hash) => ({ name, modulusLength: 1024, publicExponent: new Uint8Array([1, 0, 1]), hash });

async function sameKey(a, b, what) {
	eq(JSON.stringify(await subtle.exportKey('jwk', a)), JSON.stringify(await subtle.exportKey('jwk', b)), what);
}

// reimport exports k in each format and imports it back, checking the result is
// the same key.
async function reimport(k, alg, formats) {
	for (const f of formats) {
		const data = await subtle.exportKey(f, k);
		const back = await subtle.importKey(f, data, alg, true, k.usages);
		eq([back.type, back.extractable, back.algorithm.name], [k.type, true, k.algorithm.name], `${alg.name || alg} ${f} import`);
		await sameKey(k, back, `${alg.name || alg} ${k.type} via ${f}`);
	}
}

export async function testSignatures() {
	const algs = [
		[rsaGen('RSASSA-PKCS1-v1_5', 'SHA-256'), 'RSASSA-PKCS1-v1_5'],
		[rsaGen('RSA-PSS', 'SHA-384'), { name: 'RSA-PSS', saltLength: 32 }],
		[rsaGen('RSA-PSS', 'SHA-256'), { name: 'RSA-PSS', saltLength: 0 }],
		[{ name: 'ECDSA', namedCurve: 'P-256' }, { name: 'ECDSA', hash: 'SHA-256' }],
		[{ name: 'ECDSA', namedCurve: 'P-384' }, { name: 'ECDSA', hash: 'SHA-384' }],
		[{ name: 'ECDSA', namedCurve: 'P-521' }, { name: 'ECDSA', hash: 'SHA-512' }],
		[{ name: 'Ed25519' }, 'Ed25519'],
	];
	for (const [gen, alg] of algs) {
		const { publicKey, privateKey } = await subtle.generateKey(gen, true, ['sign', 'verify']);
		const what = JSON.stringify(alg);
		eq([publicKey.type, publicKey.usages, publicKey.extractable], ['public', ['verify'], true], `${what} public key`);
		eq([privateKey.type, privateKey.usages], ['private', ['sign']], `${what} private key`);
		ok(privateKey instanceof CryptoKey, 'a CryptoKey');
		const sig = await subtle.sign(alg, privateKey, msg);
		ok(await subtle.verify(alg, publicKey, sig, msg), `${what} verifies`);
		ok(!(await subtle.verify(alg, publicKey, sig, utf8('other'))), `${what} rejects another message`);
		const pubFormats = gen.name.startsWith('RSA') ? ['spki', 'jwk'] : ['raw', 'spki', 'jwk'];
		await reimport(publicKey, gen, pubFormats);
		await reimport(privateKey, gen, ['pkcs8', 'jwk']);
		if (alg.saltLength === 0) {
			eq(hex(await subtle.sign(alg, privateKey, msg)), hex(sig), 'PSS with no salt is deterministic');
		}
	}
	const hmac = await subtle.generateKey({ name: 'HMAC', hash: 'SHA-512' }, true, ['sign', 'verify']);
	eq([hmac.algorithm.length, hmac.algorithm.hash.name], [1024, 'SHA-512'], 'HMAC default length is the block size');
	ok(await subtle.verify('HMAC', hmac, await subtle.sign('HMAC', hmac, msg), msg), 'HMAC verifies');
	await reimport(hmac, { name: 'HMAC', hash: 'SHA-512' }, ['raw', 'jwk']);
}

export async function testEncryption() {
	for (const [name, length, params] of [
		['AES-GCM', 256, { iv: crypto.getRandomValues(new Uint8Array(12)), additionalData: utf8('ad') }],
		['AES-GCM', 128, { iv: crypto.getRandomValues(new Uint8Array(12)), tagLength: 64 }],
		['AES-CBC', 192, { iv: crypto.getRandomValues(new Uint8Array(16)) }],
		['AES-CTR', 128, { counter: new Uint8Array(16), length: 64 }],
	]) {
		const k = await subtle.generateKey({ name, length }, true, ['encrypt', 'decrypt']);
		eq(k.algorithm, { name, length }, `${name} algorithm`);
		const alg = { name, ...params };
		const ct = await subtle.encrypt(alg, k, msg);
		eq(hex(await subtle.decrypt(alg, k, ct)), hex(msg), `${name}-${length} round trip`);
		await reimport(k, name, ['raw', 'jwk']);
	}
	const { publicKey, privateKey } = await subtle.generateKey(rsaGen('RSA-OAEP', 'SHA-256'), true, ['encrypt', 'decrypt']);
	eq(publicKey.algorithm.modulusLength, 1024, 'modulusLength');
	eq(Array.from(publicKey.algorithm.publicExponent), [1, 0, 1], 'publicExponent');
	const label = utf8('label');
	const ct = await subtle.encrypt({ name: 'RSA-OAEP', label }, publicKey, msg);
	eq(hex(await subtle.decrypt({ name: 'RSA-OAEP', label }, privateKey, ct)), hex(msg), 'RSA-OAEP round trip');
	await reimport(publicKey, { name: 'RSA-OAEP', hash: 'SHA-256' }, ['spki', 'jwk']);
	await reimport(privateKey, { name: 'RSA-OAEP', hash: 'SHA-256' }, ['pkcs8', 'jwk']);
}

export async function testWrap() {
	const secret = await subtle.generateKey({ name: 'HMAC', hash: 'SHA-256' }, true, ['sign']);
	const kw = await subtle.generateKey({ name: 'AES-KW', length: 256 }, false, ['wrapKey', 'unwrapKey']);
	const gcm = await subtle.generateKey({ name: 'AES-GCM', length: 128 }, false, ['wrapKey', 'unwrapKey']);
	const oaep = await subtle.generateKey(rsaGen('RSA-OAEP', 'SHA-1'), false, ['wrapKey', 'unwrapKey']);
	const iv = new Uint8Array(12);
	const cases = [
		['raw', kw.publicKey || kw, 'AES-KW', kw],
		['jwk', gcm, { name: 'AES-GCM', iv }, gcm],
		['raw', oaep.publicKey, 'RSA-OAEP', oaep.privateKey],
	];
	for (const [format, wrapping, alg, unwrapping] of cases) {
		const wrapped = await subtle.wrapKey(format, secret, wrapping, alg);
		const back = await subtle.unwrapKey(format, wrapped, unwrapping, alg, { name: 'HMAC', hash: 'SHA-256' }, true, ['sign']);
		await sameKey(secret, back, `wrap ${format} with ${alg.name || alg}`);
	}
	const ed = await subtle.generateKey('Ed25519', true, ['sign', 'verify']);
	const wrapped = await subtle.wrapKey('pkcs8', ed.privateKey, gcm, { name: 'AES-GCM', iv });
	const back = await subtle.unwrapKey('pkcs8', wrapped, gcm, { name: 'AES-GCM', iv }, 'Ed25519', false, ['sign']);
	ok(await subtle.verify('Ed25519', ed.publicKey, await subtle.sign('Ed25519', back, msg), msg), 'unwrapped private key signs');
}

export async function testDerive() {
	const a = await subtle.generateKey({ name: 'ECDH', namedCurve: 'P-384' }, true, ['deriveKey', 'deriveBits']);
	const b = await subtle.generateKey({ name: 'ECDH', namedCurve: 'P-384' }, true, ['deriveKey', 'deriveBits']);
	eq(a.publicKey.usages, [], 'an ECDH public key has no usages');
	const ab = await subtle.deriveBits({ name: 'ECDH', public: b.publicKey }, a.privateKey, 384);
	const ba = await subtle.deriveBits({ name: 'ECDH', public: a.publicKey }, b.privateKey, 384);
	eq(hex(ab), hex(ba), 'both sides agree');
	const aes = await subtle.deriveKey({ name: 'ECDH', public: b.publicKey }, a.privateKey, { name: 'AES-GCM', length: 256 }, true, ['encrypt']);
	eq(hex(await subtle.exportKey('raw', aes)), hex(ab).slice(0, 64), 'deriveKey takes the first 256 bits');
	await reimport(a.publicKey, { name: 'ECDH', namedCurve: 'P-384' }, ['raw', 'spki', 'jwk']);
	await reimport(a.privateKey, { name: 'ECDH', namedCurve: 'P-384' }, ['pkcs8', 'jwk']);
	const pw = await subtle.importKey('raw', utf8('secret'), 'PBKDF2', false, ['deriveKey']);
	const hm = await subtle.deriveKey({ name: 'PBKDF2', salt: utf8('salt'), iterations: 10, hash: 'SHA-256' }, pw, { name: 'HMAC', hash: 'SHA-256' }, true, ['sign']);
	eq(hm.algorithm.length, 512, 'HMAC key of the block size');
	const ikm = await subtle.importKey('raw', utf8('ikm'), 'HKDF', false, ['deriveKey']);
	const k = await subtle.deriveKey({ name: 'HKDF', salt: new Uint8Array(0), info: new Uint8Array(0), hash: 'SHA-512' }, ikm, { name: 'AES-CBC', length: 128 }, false, ['decrypt']);
	eq([k.algorithm.name, k.extractable, k.usages], ['AES-CBC', false, ['decrypt']], 'derived AES key');
}

export async function testKeyObjects() {
	const k = await subtle.generateKey({ name: 'AES-GCM', length: 128 }, false, ['decrypt', 'encrypt', 'encrypt']);
	eq(k.usages, ['encrypt', 'decrypt'], 'usages without duplicates');
	ok(k.algorithm === k.algorithm && k.usages === k.usages, 'the same objects on every read');
	eq(Object.prototype.toString.call(k), '[object CryptoKey]', 'toStringTag');
	eq(Object.keys(k), [], 'slots are accessors of the prototype');
	eq(Object.prototype.toString.call(crypto.subtle), '[object SubtleCrypto]', 'SubtleCrypto');
	ok(crypto.subtle === crypto.subtle, 'one subtle');
}
