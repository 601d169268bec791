// Assertions shared by the test scripts: each throws an Error saying what differed.

export function eq(got, want, what) {
	const g = JSON.stringify(got), w = JSON.stringify(want);
	if (g !== w || typeof got !== typeof want) {
		throw new Error(`${what}: got ${g} (${typeof got}), want ${w} (${typeof want})`);
	}
}

export function ok(cond, what) {
	if (!cond) throw new Error(`${what}: not true`);
}

// throws runs fn and checks it throws an error named name whose message contains
// part (when given); it returns the error.
export function throws(fn, name, part, what) {
	try {
		fn();
	} catch (e) {
		checkError(e, name, part, what);
		return e;
	}
	throw new Error(`${what}: did not throw`);
}

// rejects awaits p and checks it rejects as throws does.
export async function rejects(p, name, part, what) {
	try {
		await p;
	} catch (e) {
		checkError(e, name, part, what);
		return e;
	}
	throw new Error(`${what}: did not reject`);
}

function checkError(e, name, part, what) {
	if (!e || e.name !== name) throw new Error(`${what}: threw ${e && e.name}: ${e && e.message}, want ${name}`);
	if (part && !String(e.message).includes(part)) throw new Error(`${what}: message ${JSON.stringify(e.message)} lacks ${JSON.stringify(part)}`);
}

export const hex = (buf) => Array.from(new Uint8Array(buf.buffer ? buf.buffer.slice(buf.byteOffset, buf.byteOffset + buf.byteLength) : buf), (b) => b.toString(16).padStart(2, '0')).join('');

export function unhex(s) {
	const out = new Uint8Array(s.length / 2);
	for (let i = 0; i < out.length; i++) out[i] = parseInt(s.substr(i * 2, 2), 16);
	return out;
}

export const b64url = (h) => btoa(String.fromCharCode(...unhex(h))).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');

export const utf8 = (s) => new TextEncoder().encode(s);
