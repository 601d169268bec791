import { eq, ok } from './assert.js';

export function testDOMException() {
	const e = new DOMException('bad thing', 'DataError');
	ok(e instanceof DOMException && e instanceof Error, 'instanceof');
	eq([e.name, e.message, e.code], ['DataError', 'bad thing', 0], 'fields');
	eq(Object.prototype.toString.call(e), '[object DOMException]', 'toStringTag');
	eq(String(e), 'DataError: bad thing', 'toString');
	ok(typeof e.stack === 'string' && e.stack.startsWith('DataError: bad thing'), 'stack');
	const d = new DOMException();
	eq([d.name, d.message, d.code], ['Error', '', 0], 'defaults');
	eq(new DOMException('q', 'QuotaExceededError').code, 22, 'legacy code');
	eq([DOMException.DATA_CLONE_ERR, DOMException.QUOTA_EXCEEDED_ERR, e.INVALID_ACCESS_ERR], [25, 22, 15], 'constants');
	eq(JSON.stringify(e), '{}', 'no enumerable members');
	class MyError extends DOMException { }
	ok(new MyError('m', 'AbortError') instanceof MyError, 'subclass');
}
