import { aName, counter, hello } from './a.js';
export const bName = 'b';
const seen = {};
try { seen.hoisted = hello(); } catch (e) { seen.hoisted = String(e); }
try { seen.tdz = aName; } catch (e) { seen.tdz = String(e); }
globalThis.__cycleSeen = seen;
export function b() { return 'b sees ' + aName; }
export function counterSeenByB() { return counter; }
