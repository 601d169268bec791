import { eq, ok, throws } from './assert.js';

export function testPlain() {
	const src = { a: 1, s: 'x', n: null, u: undefined, b: true, big: 12345678901234567890n, arr: [1, , 3], nested: { d: [{}] } };
	const c = structuredClone(src);
	ok(c !== src && c.nested !== src.nested && c.nested.d[0] !== src.nested.d[0], 'copies, not references');
	eq(Object.keys(c), Object.keys(src), 'keys in order');
	ok(c.big === src.big, 'bigint');
	eq(c.arr.length, 3, 'array length');
	eq(1 in c.arr, false, 'hole kept');
	ok('u' in c && c.u === undefined, 'undefined member kept');
	eq(structuredClone(42), 42, 'a primitive');
}

export function testCycles() {
	const a = { name: 'a' };
	a.self = a;
	const shared = [1];
	a.x = shared;
	a.y = shared;
	const c = structuredClone(a);
	ok(c.self === c, 'cycle');
	ok(c.x === c.y && c.x !== shared, 'shared reference kept shared');
	const m = new Map();
	m.set('me', m);
	const cm = structuredClone(m);
	ok(cm.get('me') === cm, 'cycle through a Map');
}

export function testBuiltins() {
	const d = new Date(1700000000123);
	const c = structuredClone({ d, re: /a+b/gi, m: new Map([[{ k: 1 }, 'v'], ['n', new Set([1, 'two'])]]), bad: new Date(NaN) });
	ok(c.d instanceof Date && c.d !== d && c.d.getTime() === d.getTime(), 'Date');
	ok(c.re instanceof RegExp && c.re.source === 'a+b' && c.re.flags === 'gi', 'RegExp');
	ok(c.m instanceof Map && c.m.size === 2, 'Map');
	eq([...c.m.keys()][0], { k: 1 }, 'object key');
	ok(c.m.get('n') instanceof Set && c.m.get('n').has('two'), 'Set in a Map');
	ok(isNaN(c.bad.getTime()), 'invalid Date');
	const w = structuredClone([new String('s'), new Number(3), new Boolean(false)]);
	ok(w[0] instanceof String && w[0].valueOf() === 's' && w[1].valueOf() === 3 && w[2].valueOf() === false, 'wrappers');
	const e = structuredClone(new RangeError('out'));
	ok(e instanceof RangeError && e.message === 'out', 'Error');
}

export function testBuffers() {
	const buf = new ArrayBuffer(8);
	const u8 = new Uint8Array(buf, 2, 4);
	u8.set([1, 2, 3, 4]);
	const f64 = new Float64Array([1.5]);
	const c = structuredClone({ buf, u8, dv: new DataView(buf, 1, 3), f64 });
	ok(c.buf instanceof ArrayBuffer && c.buf !== buf && c.buf.byteLength === 8, 'ArrayBuffer');
	ok(c.u8 instanceof Uint8Array && c.u8.buffer === c.buf, 'view shares the cloned buffer');
	eq([c.u8.byteOffset, c.u8.length, Array.from(c.u8)], [2, 4, [1, 2, 3, 4]], 'view contents');
	ok(c.dv instanceof DataView && c.dv.buffer === c.buf && c.dv.byteOffset === 1 && c.dv.byteLength === 3, 'DataView');
	ok(c.f64 instanceof Float64Array && c.f64[0] === 1.5, 'Float64Array');
	u8[0] = 9;
	eq(c.u8[0], 1, 'a copy');
}

export function testTransfer() {
	const buf = new Uint8Array([1, 2, 3]).buffer;
	const c = structuredClone({ buf }, { transfer: [buf] });
	eq(buf.byteLength, 0, 'original detached');
	eq(Array.from(new Uint8Array(c.buf)), [1, 2, 3], 'moved');
	throws(() => structuredClone(1, { transfer: [{}] }), 'DataCloneError', 'only ArrayBuffers', 'not a buffer');
	const b2 = new ArrayBuffer(1);
	throws(() => structuredClone(1, { transfer: [b2, b2] }), 'DataCloneError', 'twice', 'listed twice');
}

export function testUncloneable() {
	const cases = [
		[() => { }, 'a function'], [{ f: function named() { } }, 'the function named'], [Symbol('s'), 'Symbol(s)'],
		[{ p: Promise.resolve() }, '#<'], [new WeakMap(), '#<WeakMap>'], [new WeakSet(), '#<WeakSet>'],
		[new Proxy({}, {}), '#<'], [{ list: [1, { u: new URL('http://127.0.0.1/') }] }, 'value.list.1.u'],
	];
	for (const [v, part] of cases) {
		const e = throws(() => structuredClone(v), 'DataCloneError', part, String(part));
		ok(e instanceof DOMException && e.code === 25, 'DATA_CLONE_ERR');
	}
	throws(() => structuredClone(), 'TypeError', '1 argument', 'no argument');
	class Point { constructor() { this.x = 1; } }
	const p = structuredClone(new Point());
	ok(!(p instanceof Point) && p.x === 1, 'a class instance becomes a plain object');
}
