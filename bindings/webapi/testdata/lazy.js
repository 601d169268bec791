// Functions that read some of the web globals, or none, for TestLazy.

export function none() {
	return [1, 2].map((x) => x * 2);
}

export function url() {
	return new URL('http://127.0.0.1/').host;
}

export function every() {
	const names = (globalThis.__ENV.NAMES || '').split(',');
	for (const n of names) {
		if (globalThis[n] === undefined) throw new Error(`${n} is not defined`);
	}
}
