// The same script runs in jsload and in Node's WebCrypto (node_test.go): produce()
// computes results for fixed inputs and makes keys, signatures and ciphertexts that
// consume() on the other side must accept. Only web APIs are used.

const subtle = crypto.subtle;
const enc = (s) => new TextEncoder().encode(s);
const b64 = (buf) => btoa(String.fromCharCode(...new Uint8Array(buf)));
const unb64 = (s) => Uint8Array.from([...atob(s)], (c) => c.charCodeAt(0));
const bytes = (n, seed) => Uint8Array.from({ length: n }, (_, i) => (i * 7 + seed) & 0xff);
const sortKeys = (o) => Object.fromEntries(Object.keys(o).sort().map((k) => [k, Array.isArray(o[k]) ? [...o[k]].sort() : o[k]]));
const hashes = ['SHA-1', 'SHA-256', 'SHA-384', 'SHA-512'];
const msg = enc('jsload and node agree on this message');

// Fixed keys, PKCS #8 in base64 (made once with Node).
const RSA_PKCS8 = 'MIIEvAIBADANBgkqhkiG9w0BAQEFAASCBKYwggSiAgEAAoIBAQDBoztMDUiyCQj/2v/9reFXh6TfOBLr2DPNOIdFQK6PWruUrHevAizvivO2c1Q5BYC9lqvcEmLGpo0QENigjOZEH1dZlKK/TgqX4iglBfrpBTsY8tLI+tUE/xu1jlN5wexv4+hMaSWytmbyUVQCL6UxEWld+LUqrpc/ai/mnO++8vGHvvh3UjaGhFYXLj97l2p0+gOm5CbXLquj8Fs2iA4A1/T1Qcj8D/8Bw5pXMG09a7wBRdy9xR95ltfDCo1i8T2RxgEbkbgFLUJp2osTg9E7ZlR0zs7UxbRxjkt7cNB4rH0pvLBNOoQMlH5kHMnUObi0N+Hcyn8hRe4kVl96AGuNAgMBAAECggEAEiWHulQZXrPpj764lE++CTupSBEDdu47Ro14YdVStpUIdMGn8rL3vpgtSEktGK3rF3leEED52EeF+z406vDhaHtubnL3QIniBMNZQ0T482r905P4DIUzPuVgdaaJrKSvkXnQjI6jDYk6AxX7kzvfVYad8wRKiB42Buee5xQIhMKqTRnaGwrXOl7kTcevxeAcnmcjUqK+mSt56HuOi0umkplqC6N3egffdqaSk05OgMqq2KeTAiXqHFVPrRj/Bt4n+/Ni7CNOdNZiDXjKN7LWoGZUGhrfa4pPCK8UdvL1vPuDVGUPd6yS28cXk9U8E+xnK5zRMBwaleX0auQmeiYS2QKBgQD2eBGNSttRNXW8pD6jNcnkuAZ142khl46NH3HqUEA3QMbeiCaDRUMGuWEYBLzxD7IHk/eHl2bzuKvBiWraMpbMpZP+p92jBsZIWkfjjR/WJC+RLvxMltmeytd1xud9O1kCaZTIKOql2DvNprnzqBJpJiYd69Og+NBag13q7UcZ6QKBgQDJICf/IMu1DPGaM9chaZ9xeuVKBOBu7RzsDYj+79aoNl78L2qxQ5PFpg2SnUZsqI4Rh+8CeZQgt+hoilAXuzrXigIvUlEtYdICmev4i3Ew3GG58v2uBZ8ITYqX+Rs5ljPMc3c5DA/ShNYYtUQUPZ58ZMYG+AcVmEz3HpuCktlaBQKBgAl8EWDYkpwLbJ53y5lIRp6wnj8HI1KRnIC9xwp3UCFQMtb5clH25l9p3tynwgWczwMPpKTpJKMYZjOqcBw5eigh7xILr7HIXvUF1GJjWehJuDLkFf10iKddsvDrWJkvIXvASGNzf6QmMBb35YwE2cCGIU1hd+Fn8cyp5YFW5DeRAoGAbYwGPQAv9D1ImyUBWEGfhr/Zg6eEVubvieMVa0ZXNOfodJOfGU4lftIjMmhXo3drakEP/dkaxXdmLwqm9UYVlrCk4AGGFaHiMWiFDqtky6g90np3kgGdzXfutTgJjCQzsnhxx7C6LYAM3QhePGgTms2IzuLpeOmrgi45pbU2jcECgYBBPUD0CZNlMF1jrn1R7iEh2ZR970ShOgL8th4+E6ouVQ+xTwCKuo0u06YdfxiDu6h4w98haxbctUwyaMxrc4XwmVJi5tekP/T7ah5GyK8m/RAY7ChIq2W0T6nulxGzoZIzGj2qpuG8cKBMosa0+k16YiuVlJZzoew8GEj2U2+aJw==';
const EC_PKCS8 = {
	'P-256#1': 'MIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQgciUEkqtVJxQaumuazfNEHtDEbo03USgAx/c76r3XwiChRANCAAQBgtGTxWBkg3TY+MtJXM/rvOsnuXBbq2LF5kW6GgVydcbwB1fER46TRXDCEi022gGUBhGfbNX+llLlLJfJKaSA',
	'P-256#2': 'MIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQg8ZusW59cy6rokVYlR4Y973xambXC/CfFZB88FlmmoKOhRANCAATZwBIt1Fl568qrt5n9vg+OL5p1tc2dG9OWPu+9igxPS8q3AtR7fG9lJHzi8U5P7mE9zbgss4x8RDgkFtE/CNfb',
	'P-384#1': 'MIG2AgEAMBAGByqGSM49AgEGBSuBBAAiBIGeMIGbAgEBBDDF8cmlZqxFos3d+aJdmDuPZ34Q/ZieMGuh7A6a382WKMaygLZnxvOrlwSdFnbOD1GhZANiAARsqymbzM9efSkegUMRtHf9xiDvm5OMQZlOqPaaw34IuDiNh+7llpkM+BrAgPzhC+Yf1aD1s59oMzhXBiHnErvF9hJHNB5Y8cAFS9nMo8ryaakTqx5KQcsl9vZppnrhzco=',
	'P-384#2': 'MIG2AgEAMBAGByqGSM49AgEGBSuBBAAiBIGeMIGbAgEBBDBn9mmPjNvveoe6RcAflHF90D6LLa7Sp6KVGcnoLAu+/WEWn1wR26IhQgGv/HemoCuhZANiAAQp1dSli6BOrATY0jD1O8H0vh25TXAZ+sKPIY4z2/ZtHdqC35KyjhaA1fD9LTFQdSmv4f6s7XHf0mm0aK6LBPebBirK24s9iN69VQYrkF5PSzf76LYqrBVhBSBmpGUTAag=',
	'P-521#1': 'MIHuAgEAMBAGByqGSM49AgEGBSuBBAAjBIHWMIHTAgEBBEIAkVRbPFcHKTxDTrg13IBMW1/+pRvxfFNc5y0eS+n0gFlkZz06+nVeG0Ft67HPl47WfB+3w2DeWrq7XDA43oz316uhgYkDgYYABAFqB1Jslpt85nqf89FJBM7WYGqXvoojFVUu8+UoFXRb+k7IqBHr4si6XGv5+ucm+/S0A4rNUAEgnfQi8TRz3u7XfQGQvqAeKNApoEELR5sVAhSTxLNe5LEFF9sJjeiDezN2Ur26EpayNqBqf9bojG3Gly2ebLyxd4CLf2GQIpF32jdsGQ==',
	'P-521#2': 'MIHuAgEAMBAGByqGSM49AgEGBSuBBAAjBIHWMIHTAgEBBEIA1/lU+5Uc0tf6bjn0wxjXz99GM71BRnB+qTpSRa5nSrbr3pFQgjJOhkg3Yi4EYAQdAh7Q41ulwS/axF3XadYaLKqhgYkDgYYABAEgt/et0TQHWbmANVgj6ht4fEhYSku/5HYM/6CSL1U6zDIISzd2FQP9k0gDNrzw3FPyboL/t1xWr+U6KdsVdUl75AFsycmJzvTVCYBVqNaR1U6hrE3G9d45NxHaJ6u7esipItq3r9EjVNfd6+tEaiMRBsVgLCVOtWaJfL2pcT+dJGndCA==',
};

async function deterministic() {
	const out = {};
	for (const h of hashes) {
		out['digest ' + h] = b64(await subtle.digest(h, msg));
		const hk = await subtle.importKey('raw', bytes(40, 1), { name: 'HMAC', hash: h }, true, ['sign']);
		out['hmac ' + h] = b64(await subtle.sign('HMAC', hk, msg));
		out['hmac jwk ' + h] = sortKeys(await subtle.exportKey('jwk', hk));
		const pw = await subtle.importKey('raw', enc('password'), 'PBKDF2', false, ['deriveBits']);
		out['pbkdf2 ' + h] = b64(await subtle.deriveBits({ name: 'PBKDF2', hash: h, salt: bytes(16, 2), iterations: 1000 }, pw, 320));
		const ikm = await subtle.importKey('raw', bytes(32, 3), 'HKDF', false, ['deriveBits']);
		out['hkdf ' + h] = b64(await subtle.deriveBits({ name: 'HKDF', hash: h, salt: bytes(9, 4), info: enc('info') }, ikm, 400));
		const rk = await subtle.importKey('pkcs8', unb64(RSA_PKCS8), { name: 'RSASSA-PKCS1-v1_5', hash: h }, true, ['sign']);
		out['rsassa ' + h] = b64(await subtle.sign('RSASSA-PKCS1-v1_5', rk, msg));
		const pk = await subtle.importKey('pkcs8', unb64(RSA_PKCS8), { name: 'RSA-PSS', hash: h }, true, ['sign']);
		out['rsa-pss salt 0 ' + h] = b64(await subtle.sign({ name: 'RSA-PSS', saltLength: 0 }, pk, msg));
	}
	const rk = await subtle.importKey('pkcs8', unb64(RSA_PKCS8), { name: 'RSA-OAEP', hash: 'SHA-256' }, true, ['decrypt']);
	out['rsa jwk'] = sortKeys(await subtle.exportKey('jwk', rk));
	out['rsa pkcs8'] = b64(await subtle.exportKey('pkcs8', rk));
	for (const len of [128, 192, 256]) {
		const raw = bytes(len / 8, 5);
		const gcm = await subtle.importKey('raw', raw, 'AES-GCM', true, ['encrypt']);
		for (const tagLength of [128, 96, 64, 32]) {
			out[`gcm ${len} tag ${tagLength}`] = b64(await subtle.encrypt({ name: 'AES-GCM', iv: bytes(12, 6), additionalData: enc('ad'), tagLength }, gcm, msg));
		}
		out[`gcm ${len} iv 16`] = b64(await subtle.encrypt({ name: 'AES-GCM', iv: bytes(16, 6) }, gcm, msg));
		out[`aes jwk ${len}`] = sortKeys(await subtle.exportKey('jwk', gcm));
		const cbc = await subtle.importKey('raw', raw, 'AES-CBC', true, ['encrypt']);
		out[`cbc ${len}`] = b64(await subtle.encrypt({ name: 'AES-CBC', iv: bytes(16, 7) }, cbc, msg));
		const ctr = await subtle.importKey('raw', raw, 'AES-CTR', true, ['encrypt']);
		for (const length of [128, 64, 8, 4]) {
			const counter = bytes(16, 250);
			counter[15] = 0xfe; // the counter wraps within its last bits
			out[`ctr ${len} length ${length}`] = b64(await subtle.encrypt({ name: 'AES-CTR', counter, length }, ctr, msg));
		}
		const kw = await subtle.importKey('raw', raw, 'AES-KW', true, ['wrapKey']);
		out[`kw ${len}`] = b64(await subtle.wrapKey('raw', gcm, kw, 'AES-KW'));
	}
	const ed = await subtle.importKey('pkcs8', unb64('MC4CAQAwBQYDK2VwBCIEIAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA'), 'Ed25519', true, ['sign']);
	out['ed25519 sign'] = b64(await subtle.sign('Ed25519', ed, msg));
	out['ed25519 jwk'] = sortKeys(await subtle.exportKey('jwk', ed));
	for (const c of ['P-256', 'P-384', 'P-521']) {
		const alg = { name: 'ECDH', namedCurve: c };
		const a = await subtle.importKey('pkcs8', unb64(EC_PKCS8[c + '#1']), alg, true, ['deriveBits']);
		const b = await subtle.importKey('pkcs8', unb64(EC_PKCS8[c + '#2']), alg, true, ['deriveBits']);
		const bj = await subtle.exportKey('jwk', b);
		const bPub = await subtle.importKey('jwk', { kty: 'EC', crv: c, x: bj.x, y: bj.y }, alg, true, []);
		out['ecdh ' + c] = b64(await subtle.deriveBits({ name: 'ECDH', public: bPub }, a, null));
		out['ecdh jwk ' + c] = sortKeys(await subtle.exportKey('jwk', a));
		out['ec raw ' + c] = b64(await subtle.exportKey('raw', bPub));
		out['ec spki ' + c] = b64(await subtle.exportKey('spki', bPub));
	}
	return out;
}

const signers = [
	['ecdsa P-256', { name: 'ECDSA', namedCurve: 'P-256' }, { name: 'ECDSA', hash: 'SHA-256' }],
	['ecdsa P-384', { name: 'ECDSA', namedCurve: 'P-384' }, { name: 'ECDSA', hash: 'SHA-512' }],
	['ecdsa P-521', { name: 'ECDSA', namedCurve: 'P-521' }, { name: 'ECDSA', hash: 'SHA-384' }],
	['rsa-pss', { name: 'RSA-PSS', modulusLength: 2048, publicExponent: new Uint8Array([1, 0, 1]), hash: 'SHA-256' }, { name: 'RSA-PSS', saltLength: 32 }],
	['ed25519', { name: 'Ed25519' }, { name: 'Ed25519' }],
];

// made: keys the producer generated, exported every way, with what it made with
// them, for the other side to check.
async function made() {
	const out = {};
	for (const [name, gen, alg] of signers) {
		const { publicKey, privateKey } = await subtle.generateKey(gen, true, ['sign', 'verify']);
		out[name] = {
			spki: b64(await subtle.exportKey('spki', publicKey)), jwk: await subtle.exportKey('jwk', publicKey),
			pkcs8: b64(await subtle.exportKey('pkcs8', privateKey)), privJwk: await subtle.exportKey('jwk', privateKey),
			sig: b64(await subtle.sign(alg, privateKey, msg)),
		};
	}
	const oaep = await subtle.generateKey({ name: 'RSA-OAEP', modulusLength: 2048, publicExponent: new Uint8Array([1, 0, 1]), hash: 'SHA-384' }, true, ['encrypt', 'decrypt']);
	out.oaep = {
		pkcs8: b64(await subtle.exportKey('pkcs8', oaep.privateKey)),
		ct: b64(await subtle.encrypt({ name: 'RSA-OAEP', label: enc('l') }, oaep.publicKey, msg)),
	};
	return out;
}

export async function produce() {
	return { deterministic: await deterministic(), made: await made() };
}

// consume checks what the other side made; it throws on the first failure and
// returns the names of the checks passed.
export async function consume(other) {
	const passed = [];
	const check = (cond, what) => {
		if (!cond) throw new Error('cross-check failed: ' + what);
		passed.push(what);
	};
	for (const [name, gen, alg] of signers) {
		const m = other.made[name];
		const usages = ['verify'];
		const fromSpki = await subtle.importKey('spki', unb64(m.spki), gen, true, usages);
		const fromJwk = await subtle.importKey('jwk', m.jwk, gen, true, usages);
		check(await subtle.verify(alg, fromSpki, unb64(m.sig), msg), name + ': signature verifies (spki key)');
		check(await subtle.verify(alg, fromJwk, unb64(m.sig), msg), name + ': signature verifies (jwk key)');
		for (const [fmt, data] of [['pkcs8', unb64(m.pkcs8)], ['jwk', m.privJwk]]) {
			const priv = await subtle.importKey(fmt, data, gen, true, ['sign']);
			const mine = await subtle.sign(alg, priv, msg);
			check(await subtle.verify(alg, fromSpki, mine, msg), `${name}: a signature with the ${fmt} private key verifies`);
			check(JSON.stringify(sortKeys(await subtle.exportKey('jwk', priv))) === JSON.stringify(sortKeys(m.privJwk)), `${name}: ${fmt} re-exports the same JWK`);
		}
	}
	const oaep = await subtle.importKey('pkcs8', unb64(other.made.oaep.pkcs8), { name: 'RSA-OAEP', hash: 'SHA-384' }, false, ['decrypt']);
	const pt = await subtle.decrypt({ name: 'RSA-OAEP', label: enc('l') }, oaep, unb64(other.made.oaep.ct));
	check(new TextDecoder().decode(pt) === new TextDecoder().decode(msg), 'RSA-OAEP ciphertext decrypts');
	return passed;
}
