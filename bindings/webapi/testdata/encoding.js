import { eq, ok, throws, hex, unhex } from './assert.js';

export function testEncode() {
	const e = new TextEncoder();
	eq(e.encoding, 'utf-8', 'encoding');
	const b = e.encode('h€llo 𝄞');
	ok(b instanceof Uint8Array, 'encode returns a Uint8Array');
	eq(hex(b), '68e282ac6c6c6f20f09d849e', 'utf-8 bytes');
	eq(e.encode().length, 0, 'encode() is empty');
	eq(hex(e.encode('\ud800x')), 'efbfbd78', 'a lone surrogate becomes U+FFFD');
}

export function testEncodeInto() {
	const e = new TextEncoder();
	const dst = new Uint8Array(5);
	eq(e.encodeInto('a€𝄞', dst), { read: 2, written: 4 }, 'stops before a character that does not fit');
	eq(hex(dst), '61e282ac00', 'bytes written');
	const big = new Uint8Array(16);
	eq(e.encodeInto('a𝄞b', big.subarray(2)), { read: 4, written: 6 }, 'a surrogate pair reads 2');
	eq(hex(big.subarray(2, 8)), '61f09d849e62', 'into a subarray');
	throws(() => e.encodeInto('x', new Uint16Array(2)), 'TypeError', 'Uint8Array', 'needs a Uint8Array');
}

export function testDecode() {
	const d = new TextDecoder();
	eq([d.encoding, d.fatal, d.ignoreBOM], ['utf-8', false, false], 'defaults');
	eq(d.decode(unhex('68e282ac6c6c6f20f09d849e')), 'h€llo 𝄞', 'decode a Uint8Array');
	eq(d.decode(unhex('e282ac').buffer), '€', 'decode an ArrayBuffer');
	eq(d.decode(new DataView(unhex('0061620063').buffer, 1, 2)), 'ab', 'decode a DataView');
	eq(d.decode(), '', 'decode() is empty');
	eq(d.decode(unhex('efbbbf61')), 'a', 'BOM removed');
	eq(new TextDecoder('utf-8', { ignoreBOM: true }).decode(unhex('efbbbf61')), '\ufeffa', 'ignoreBOM keeps it');
	throws(() => d.decode('text'), 'TypeError', 'ArrayBuffer', 'a string is not a buffer');
}

export function testLabels() {
	for (const l of ['utf-8', 'UTF8', ' unicode-1-1-utf-8\n', 'unicode11utf8', 'unicode20utf8', 'x-unicode20utf8']) {
		eq(new TextDecoder(l).encoding, 'utf-8', `label ${JSON.stringify(l)}`);
	}
	throws(() => new TextDecoder('latin1'), 'RangeError', "'latin1'", 'another encoding');
}

// The Encoding Standard replaces each maximal invalid subsequence with one U+FFFD.
export function testReplacement() {
	const d = new TextDecoder();
	const cases = [
		['ff', '\ufffd'], ['c0af', '\ufffd\ufffd'], ['e080', '\ufffd\ufffd'], ['f09080', '\ufffd'],
		['eda080', '\ufffd\ufffd\ufffd'], ['f4908080', '\ufffd\ufffd\ufffd\ufffd'], ['e2', '\ufffd'],
		['61e282', 'a\ufffd'], ['e28261', '\ufffda'], ['f09d849e', '𝄞'],
	];
	for (const [input, want] of cases) eq(d.decode(unhex(input)), want, input);
}

export function testFatal() {
	const d = new TextDecoder('utf-8', { fatal: true });
	eq(d.fatal, true, 'fatal');
	throws(() => d.decode(unhex('61ff')), 'TypeError', 'not valid', 'invalid byte');
	throws(() => d.decode(unhex('e282')), 'TypeError', 'not valid', 'truncated at the end');
	eq(d.decode(unhex('61')), 'a', 'usable after an error');
}

export function testStream() {
	const d = new TextDecoder();
	const bytes = unhex('efbbbf61e282acf09d849e');
	let out = '';
	for (let i = 0; i < bytes.length; i++) out += d.decode(bytes.subarray(i, i + 1), { stream: true });
	out += d.decode();
	eq(out, 'a€𝄞', 'one byte at a time');
	eq(d.decode(unhex('e282'), { stream: true }), '', 'an incomplete character waits');
	eq(d.decode(), '\ufffd', 'and is replaced when the stream ends');
	const f = new TextDecoder('utf-8', { fatal: true });
	eq(f.decode(unhex('f09d'), { stream: true }), '', 'fatal: waits for the rest');
	eq(f.decode(unhex('849e')), '𝄞', 'fatal: completes');
}
