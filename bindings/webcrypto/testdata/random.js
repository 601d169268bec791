import { eq, ok, throws } from '../../webapi/testdata/assert.js';

export function testGetRandomValues() {
	const a = new Uint8Array(64);
	ok(crypto.getRandomValues(a) === a, 'returns its argument');
	ok(a.some((b) => b !== 0), 'filled');
	for (const T of [Int8Array, Uint8ClampedArray, Int16Array, Uint16Array, Int32Array, Uint32Array, BigInt64Array, BigUint64Array]) {
		const v = new T(4);
		crypto.getRandomValues(v);
	}
	const big = new Uint8Array(65536);
	crypto.getRandomValues(big);
	const sub = new Uint8Array(10);
	crypto.getRandomValues(sub.subarray(2, 4));
	eq([sub[0], sub[1], sub[4]], [0, 0, 0], 'only the view is filled');
	const e = throws(() => crypto.getRandomValues(new Uint8Array(65537)), 'QuotaExceededError', '65536', 'over 65536 bytes');
	ok(e instanceof DOMException && e.code === 22, 'QUOTA_EXCEEDED_ERR');
	throws(() => crypto.getRandomValues(new Uint32Array(16385)), 'QuotaExceededError', '65540', 'counted in bytes');
	throws(() => crypto.getRandomValues(new Float64Array(2)), 'TypeMismatchError', 'Float64Array', 'float array');
	throws(() => crypto.getRandomValues(new DataView(new ArrayBuffer(2))), 'TypeMismatchError', 'DataView', 'DataView');
	throws(() => crypto.getRandomValues([1, 2]), 'TypeError', 'typed array', 'plain array');
}

export function testRandomUUID() {
	const seen = new Set();
	for (let i = 0; i < 100; i++) {
		const u = crypto.randomUUID();
		ok(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/.test(u), `v4 format: ${u}`);
		seen.add(u);
	}
	eq(seen.size, 100, 'all different');
}
