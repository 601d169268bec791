// Known-answer tests: the published vectors of each algorithm.
import { eq, ok, hex, unhex, utf8, b64url } from '../../webapi/testdata/assert.js';

const subtle = crypto.subtle;

// FIPS 180-2 appendix examples.
export async function testDigest() {
	const abc = utf8('abc'), two = utf8('abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq');
	const cases = [
		['SHA-1', abc, 'a9993e364706816aba3e25717850c26c9cd0d89d'],
		['SHA-1', two, '84983e441c3bd26ebaae4aa1f95129e5e54670f1'],
		['SHA-256', abc, 'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad'],
		['SHA-256', two, '248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1'],
		['SHA-256', new Uint8Array(0), 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855'],
		['SHA-384', abc, 'cb00753f45a35e8bb5a03d699ac65007272c32ab0eded1631a8b605a43ff5bed8086072ba1e7cc2358baeca134c825a7'],
		['SHA-512', abc, 'ddaf35a193617abacc417349ae20413112e6fa4e89a97ea20a9eeee64b55d39a2192992a274fc1a836ba3c23a3feebbd454d4423643ce80e2a9ac94fa54ca49f'],
	];
	for (const [alg, data, want] of cases) {
		eq(hex(await subtle.digest(alg, data)), want, `${alg}(${data.length} bytes)`);
	}
	eq(hex(await subtle.digest({ name: 'sha-256' }, abc.buffer)), cases[2][2], 'name in any case, ArrayBuffer input');
	eq(hex(await subtle.digest('SHA-256', new DataView(utf8('xabcx').buffer, 1, 3))), cases[2][2], 'a DataView');
}

async function hmacKey(keyHex, hash) {
	return subtle.importKey('raw', unhex(keyHex), { name: 'HMAC', hash }, false, ['sign', 'verify']);
}

// RFC 4231 test cases 1, 2 and 6; RFC 2202 test case 1 for SHA-1.
export async function testHMAC() {
	const k1 = '0b'.repeat(20), big = 'aa'.repeat(131);
	const cases = [
		['SHA-1', k1, utf8('Hi There'), 'b617318655057264e28bc0b6fb378c8ef146be00'],
		['SHA-256', k1, utf8('Hi There'), 'b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7'],
		['SHA-384', k1, utf8('Hi There'), 'afd03944d84895626b0825f4ab46907f15f9dadbe4101ec682aa034c7cebc59cfaea9ea9076ede7f4af152e8b2fa9cb6'],
		['SHA-512', k1, utf8('Hi There'), '87aa7cdea5ef619d4ff0b4241a1d6cb02379f4e2ce4ec2787ad0b30545e17cdedaa833b7d6b8a702038b274eaea3f4e4be9d914eeb61f1702e696c203a126854'],
		['SHA-256', hex(utf8('Jefe')), utf8('what do ya want for nothing?'), '5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843'],
		['SHA-512', hex(utf8('Jefe')), utf8('what do ya want for nothing?'), '164b7a7bfcf819e2e395fbe73b56e0a387bd64222e831fd610270cd7ea2505549758bf75c05a994a6d034f65f8f0e6fdcaeab1a34d4a6b4b636e070a38bce737'],
		['SHA-256', big, utf8('Test Using Larger Than Block-Size Key - Hash Key First'), '60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54'],
	];
	for (const [hash, k, data, want] of cases) {
		const key = await hmacKey(k, hash);
		eq(hex(await subtle.sign('HMAC', key, data)), want, `HMAC-${hash} ${want.slice(0, 8)}`);
		ok(await subtle.verify('HMAC', key, unhex(want), data), `verify HMAC-${hash}`);
		const bad = unhex(want);
		bad[0] ^= 1;
		ok(!(await subtle.verify('HMAC', key, bad, data)), `reject HMAC-${hash}`);
	}
}

// RFC 5869 test cases 1, 3 and 4.
export async function testHKDF() {
	const cases = [
		['SHA-256', '0b'.repeat(22), '000102030405060708090a0b0c', 'f0f1f2f3f4f5f6f7f8f9', '3cb25f25faacd57a90434f64d0362f2a2d2d0a90cf1a5a4c5db02d56ecc4c5bf34007208d5b887185865'],
		['SHA-256', '0b'.repeat(22), '', '', '8da4e775a563c18f715f802a063c5a31b8a11f5c5ee1879ec3454e5f3c738d2d9d201395faa4b61a96c8'],
		['SHA-1', '0b'.repeat(11), '000102030405060708090a0b0c', 'f0f1f2f3f4f5f6f7f8f9', '085a01ea1b10f36933068b56efa5ad81a4f14b822f5b091568a9cdd4f155fda2c22e422478d305f3f896'],
	];
	for (const [hash, ikm, salt, info, want] of cases) {
		const key = await subtle.importKey('raw', unhex(ikm), 'HKDF', false, ['deriveBits']);
		const bits = await subtle.deriveBits({ name: 'HKDF', hash, salt: unhex(salt), info: unhex(info) }, key, 42 * 8);
		eq(hex(bits), want, `HKDF-${hash} ${want.slice(0, 8)}`);
	}
}

// RFC 6070 (PBKDF2-HMAC-SHA1) and RFC 7914 section 11 (PBKDF2-HMAC-SHA256).
export async function testPBKDF2() {
	const cases = [
		['SHA-1', 'password', 'salt', 1, 20, '0c60c80f961f0e71f3a9b524af6012062fe037a6'],
		['SHA-1', 'password', 'salt', 2, 20, 'ea6c014dc72d6f8ccd1ed92ace1d41f0d8de8957'],
		['SHA-1', 'password', 'salt', 4096, 20, '4b007901b765489abead49d926f721d065a429c1'],
		['SHA-1', 'passwordPASSWORDpassword', 'saltSALTsaltSALTsaltSALTsaltSALTsalt', 4096, 25, '3d2eec4fe41c849b80c8d83662c0e44a8b291a964cf2f07038'],
		['SHA-256', 'passwd', 'salt', 1, 64, '55ac046e56e3089fec1691c22544b605f94185216dde0465e68b9d57c20dacbc49ca9cccf179b645991664b39d77ef317c71b845b1e30bd509112041d3a19783'],
	];
	for (const [hash, password, salt, iterations, len, want] of cases) {
		const key = await subtle.importKey('raw', utf8(password), 'PBKDF2', false, ['deriveBits']);
		const bits = await subtle.deriveBits({ name: 'PBKDF2', hash, salt: utf8(salt), iterations }, key, len * 8);
		eq(hex(bits), want, `PBKDF2-${hash} c=${iterations}`);
	}
}

async function aesKey(name, keyHex, usages = ['encrypt', 'decrypt']) {
	return subtle.importKey('raw', unhex(keyHex), name, true, usages);
}

// The GCM specification's test cases 2, 3, 4 and 6 (a 60-byte iv), with tags cut to
// 96 and 32 bits as well.
export async function testAESGCM() {
	const k = 'feffe9928665731c6d6a8f9467308308', iv = 'cafebabefacedbaddecaf888', aad = 'feedfacedeadbeeffeedfacedeadbeefabaddad2';
	const p = 'd9313225f88406e5a55909c5aff5269a86a7a9531534f7da2e4c303d8a318a721c3c0c95956809532fcf0e2449a6b525b16aedf5aa0de657ba637b39';
	const c = '42831ec2217774244b7221b784d0d49ce3aa212f2c02a4e035c17e2329aca12e21d514b25466931c7d8f6a5aac84aa051ba30b396a0aac973d58e091';
	const iv6 = '9313225df88406e555909c5aff5269aa6a7a9538534f7da1e4c303d2a318a728c3c0c95156809539fcf0e2429a6b525416aedbf5a0de6a57a637b39b';
	const cases = [
		['00'.repeat(16), '00'.repeat(12), '', '00'.repeat(16), '0388dace60b6a392f328c2b971b2fe78', 'ab6e47d42cec13bdf53a67b21257bddf'],
		[k, iv, '', p + '1aafd255', c + '473f5985', '4d5c2af327cd64a62cf35abd2ba6fab4'],
		[k, iv, aad, p, c, '5bc94fbc3221a5db94fae95ae7121a47'],
		[k, iv6, aad, p, '8ce24998625615b603a033aca13fb894be9112a5c3a211a8ba262a3cca7e2ca701e4a9a4fba43c90ccdcb281d48c7c6fd62875d2aca417034c34aee5', '619cc5aefffe0bfa462af43c1699d050'],
	];
	for (const [kh, ivh, aadh, ph, ch, tag] of cases) {
		const key = await aesKey('AES-GCM', kh);
		for (const tagLength of [128, 96, 32]) {
			const alg = { name: 'AES-GCM', iv: unhex(ivh), tagLength };
			if (aadh) alg.additionalData = unhex(aadh);
			const want = ch + tag.slice(0, tagLength / 4);
			eq(hex(await subtle.encrypt(alg, key, unhex(ph))), want, `GCM encrypt ${ch.slice(0, 8)}/${tagLength}`);
			eq(hex(await subtle.decrypt(alg, key, unhex(want))), ph, `GCM decrypt ${ch.slice(0, 8)}/${tagLength}`);
			const bad = unhex(want);
			bad[bad.length - 1] ^= 1;
			let threw = '';
			try { await subtle.decrypt(alg, key, bad); } catch (e) { threw = e.name; }
			eq(threw, 'OperationError', `GCM tampered tag ${ch.slice(0, 8)}/${tagLength}`);
		}
	}
}

// NIST SP 800-38A F.2.1 (CBC) and F.5.1 (CTR); WebCrypto's CBC adds PKCS #7 padding.
export async function testAESCBCAndCTR() {
	const k = '2b7e151628aed2a6abf7158809cf4f3c', p = '6bc1bee22e409f96e93d7e117393172aae2d8a571e03ac9c9eb76fac45af8e51';
	const cbc = await aesKey('AES-CBC', k);
	const iv = unhex('000102030405060708090a0b0c0d0e0f');
	const ct = hex(await subtle.encrypt({ name: 'AES-CBC', iv }, cbc, unhex(p)));
	eq(ct.slice(0, 64), '7649abac8119b246cee98e9b12e9197d5086cb9b507219ee95db113a917678b2', 'CBC blocks');
	eq(ct.length, 96, 'a block of padding');
	eq(hex(await subtle.decrypt({ name: 'AES-CBC', iv }, cbc, unhex(ct))), p, 'CBC decrypt');
	const ctr = await aesKey('AES-CTR', k);
	const counter = unhex('f0f1f2f3f4f5f6f7f8f9fafbfcfdfeff');
	for (const length of [128, 64]) {
		const out = hex(await subtle.encrypt({ name: 'AES-CTR', counter, length }, ctr, unhex(p)));
		eq(out, '874d6191b620e3261bef6864990db6ce9806f66b7970fdff8617187bb9fffdff', `CTR length ${length}`);
		eq(hex(await subtle.decrypt({ name: 'AES-CTR', counter, length }, ctr, unhex(out))), p, `CTR decrypt ${length}`);
	}
	const wrapped = hex(await subtle.encrypt({ name: 'AES-CTR', counter, length: 8 }, ctr, unhex(p)));
	eq(wrapped.slice(0, 32), '874d6191b620e3261bef6864990db6ce', 'CTR length 8: first block');
	ok(wrapped.slice(32) !== '9806f66b7970fdff8617187bb9fffdff', 'CTR length 8: the counter wraps within its 8 bits');
}

// RFC 3394 sections 4.1 and 4.6.
export async function testAESKW() {
	const cases = [
		['000102030405060708090a0b0c0d0e0f', '00112233445566778899aabbccddeeff', '1fa68b0a8112b447aef34bd8fb5a7b829d3e862371d2cfe5'],
		['000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f', '00112233445566778899aabbccddeeff000102030405060708090a0b0c0d0e0f',
			'28c9f404c4b810f4cbccb35cfb87f8263f5786e2d80ed326cbc7f0e71a99f43bfb988b9b7a02dd21'],
	];
	for (const [kek, data, want] of cases) {
		const wk = await aesKey('AES-KW', kek, ['wrapKey', 'unwrapKey']);
		const key = await aesKey('AES-GCM', data);
		eq(hex(await subtle.wrapKey('raw', key, wk, 'AES-KW')), want, `KW ${kek.length * 4}`);
		const back = await subtle.unwrapKey('raw', unhex(want), wk, 'AES-KW', 'AES-GCM', true, ['encrypt']);
		eq(hex(await subtle.exportKey('raw', back)), data, `unwrap ${kek.length * 4}`);
	}
}

// RFC 8032 section 7.1 tests 1 and 2.
export async function testEd25519() {
	const cases = [
		['9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60', 'd75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a', '',
			'e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b'],
		['4ccd089b28ff96da9db6c346ec114e0f5b8a319f35aba624da8cf6ed4fb8a6fb', '3d4017c3e843895a92b70aa74d1b7ebc9c982ccf2ec4968cc0cd55f12af4660c', '72',
			'92a009a9f0d4cab8720e820b5f642540a2b27b5416503f8fb3762223ebdb69da085ac1e43e15996e458f3613d0f11d8c387b2eaeb4302aeeb00d291612bb0c00'],
	];
	for (const [d, x, msg, sig] of cases) {
		const priv = await subtle.importKey('jwk', { kty: 'OKP', crv: 'Ed25519', d: b64url(d), x: b64url(x) }, 'Ed25519', true, ['sign']);
		const pkcs8 = await subtle.importKey('pkcs8', unhex('302e020100300506032b657004220420' + d), { name: 'Ed25519' }, false, ['sign']);
		const pub = await subtle.importKey('raw', unhex(x), 'Ed25519', true, ['verify']);
		eq(hex(await subtle.sign('Ed25519', priv, unhex(msg))), sig, `sign ${x.slice(0, 8)}`);
		eq(hex(await subtle.sign('Ed25519', pkcs8, unhex(msg))), sig, `sign with a pkcs8 key ${x.slice(0, 8)}`);
		ok(await subtle.verify('Ed25519', pub, unhex(sig), unhex(msg)), `verify ${x.slice(0, 8)}`);
		ok(!(await subtle.verify('Ed25519', pub, unhex(sig), unhex(msg + '00'))), `reject ${x.slice(0, 8)}`);
		eq(hex(await subtle.exportKey('raw', pub)), x, 'raw export');
	}
}

// RFC 6979 A.2.5: P-256, SHA-256, "sample" (ECDSA signatures are random: the vector
// is verified, and our own signatures of it verify).
export async function testECDSA() {
	const jwk = {
		kty: 'EC', crv: 'P-256',
		x: b64url('60fed4ba255a9d31c961eb74c6356d68c049b8923b61fa6ce669622e60f29fb6'),
		y: b64url('7903fe1008b8bc99a41ae9e95628bc64f2f1b20c2d7e9f5177a3c294d4462299'),
	};
	const pub = await subtle.importKey('jwk', jwk, { name: 'ECDSA', namedCurve: 'P-256' }, true, ['verify']);
	const sig = unhex('efd48b2aacb6a8fd1140dd9cd45e81d69d2c877b56aaf991c34d0ea84eaf3716f7cb1c942d657c41d436c7a1b6e29f65f3e900dbb9aff4064dc4ab2f843acda8');
	const alg = { name: 'ECDSA', hash: 'SHA-256' };
	ok(await subtle.verify(alg, pub, sig, utf8('sample')), 'RFC 6979 signature verifies');
	ok(!(await subtle.verify(alg, pub, sig, utf8('samplf'))), 'not for another message');
	const priv = await subtle.importKey('jwk', { ...jwk, d: b64url('c9afa9d845ba75166b5c215767b1d6934e50c3db36e89b127b8a622b120f6721') },
		{ name: 'ECDSA', namedCurve: 'P-256' }, true, ['sign']);
	const mine = await subtle.sign(alg, priv, utf8('sample'));
	eq(mine.byteLength, 64, 'r || s');
	ok(await subtle.verify(alg, pub, mine, utf8('sample')), 'own signature verifies');
}

// RFC 5903 section 8.1: ECDH on P-256.
export async function testECDH() {
	const alg = { name: 'ECDH', namedCurve: 'P-256' };
	const point = (x, y) => unhex('04' + x + y);
	const i = await subtle.importKey('jwk', {
		kty: 'EC', crv: 'P-256', d: b64url('c88f01f510d9ac3f70a292daa2316de544e9aab8afe84049c62a9c57862d1433'),
		x: b64url('dad0b65394221cf9b051e1feca5787d098dfe637fc90b9ef945d0c3772581180'), y: b64url('5271a0461cdb8252d61f1c456fa3e59ab1f45b33accf5f58389e0577b8990bb3'),
	}, alg, false, ['deriveBits']);
	const gr = await subtle.importKey('raw', point('d12dfb5289c8d4f81208b70270398c342296970a0bccb74c736fc7554494bf63', '56fbf3ca366cc23e8157854c13c58d6aac23f046ada30f8353e74f33039872ab'), alg, true, []);
	eq(hex(await subtle.deriveBits({ name: 'ECDH', public: gr }, i, 256)), 'd6840f6b42f6edafd13116e0e12565202fef8e9ece7dce03812464d04b9442de', 'shared secret');
	eq(hex(await subtle.deriveBits({ name: 'ECDH', public: gr }, i, 12)), 'd680', 'truncated to 12 bits');
	eq(hex(await subtle.deriveBits({ name: 'ECDH', public: gr }, i, null)).length, 64, 'null length: all of it');
}
