import { eq, throws } from './assert.js';

export async function testOrder() {
	const seen = [];
	setTimeout(() => seen.push('timeout'), 0);
	queueMicrotask(() => seen.push('micro 1'));
	Promise.resolve().then(() => seen.push('promise'));
	queueMicrotask(() => {
		seen.push('micro 2');
		queueMicrotask(() => seen.push('nested'));
	});
	seen.push('sync');
	await new Promise((resolve) => setTimeout(resolve, 1));
	eq(seen, ['sync', 'micro 1', 'promise', 'micro 2', 'nested', 'timeout'], 'order');
}

export function testArgs() {
	throws(() => queueMicrotask('x'), 'TypeError', 'function', 'not a function');
	let args;
	queueMicrotask(function () { args = arguments.length; });
	return Promise.resolve().then(() => eq(args, 0, 'called without arguments'));
}

// throwsInMicrotask fails its call: the Go test checks the error.
export function throwsInMicrotask() {
	queueMicrotask(() => { throw new Error('from a microtask'); });
}
