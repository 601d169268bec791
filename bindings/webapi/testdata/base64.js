import { eq, throws } from './assert.js';

export function testBtoa() {
	eq(btoa(''), '', 'empty');
	eq(btoa('f'), 'Zg==', 'f');
	eq(btoa('foobar'), 'Zm9vYmFy', 'RFC 4648 foobar');
	eq(btoa('\u00ff\u00fe'), '//4=', 'latin1');
	const e = throws(() => btoa('€'), 'InvalidCharacterError', 'Latin1', 'outside Latin1');
	eq(e instanceof DOMException, true, 'a DOMException');
	eq(e.code, 5, 'INVALID_CHARACTER_ERR');
	throws(() => btoa(), 'TypeError', '1 argument', 'no argument');
}

export function testAtob() {
	const vectors = { '': '', Zg: 'f', 'Zg==': 'f', 'Zm8=': 'fo', Zm9v: 'foo', 'Zm9vYg==': 'foob', 'Zm9vYmE=': 'fooba', Zm9vYmFy: 'foobar' };
	for (const [b64, want] of Object.entries(vectors)) eq(atob(b64), want, b64);
	eq(atob(' Zm9v\nYmFy\t'), 'foobar', 'whitespace ignored');
	eq(atob('//4='), '\u00ff\u00fe', 'bytes as latin1');
	eq(atob(null), '\u009e\u00e9e', 'null is the string "null"');
	for (const bad of ['Z', 'Zg=', 'Zg===', 'Z=g=', 'Zm9v!', 'Zm9vYmFy=']) {
		const e = throws(() => atob(bad), 'InvalidCharacterError', 'not correctly encoded', JSON.stringify(bad));
		eq(e.code, 5, 'code');
	}
}
