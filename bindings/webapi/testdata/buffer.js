import { eq, ok } from './assert.js';

export function testBuffer() {
	const b = Buffer.from('héllo', 'utf8');
	ok(b instanceof Uint8Array, 'a Uint8Array');
	eq(b.toString('hex'), '68c3a96c6c6f', 'hex');
	eq(b.toString('base64'), 'aMOpbGxv', 'base64');
	eq(Buffer.from('aMOpbGxv', 'base64').toString(), 'héllo', 'from base64');
	eq(Buffer.from([1, 2, 3]).readUInt16BE(1), 0x0203, 'readUInt16BE');
	eq(Buffer.concat([Buffer.from('a'), Buffer.from('b')]).toString(), 'ab', 'concat');
	eq(Buffer.alloc(3, 1).toString('hex'), '010101', 'alloc');
}

export function testNoNodeGlobals() {
	eq([typeof process, typeof setImmediate], ['undefined', 'undefined'], "no goja_nodejs process or event loop");
}
