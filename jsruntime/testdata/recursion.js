// Runaway recursion: each function must fail its call with a RangeError located
// here, and leave the runtime usable for the next call.
function down(n) { return down(n + 1) + 1; }
export function direct() { down(0); }

// Through a native call (Array.prototype.map) at each level: Go's stack grows too.
function viaNative(n) { return [n].map((x) => viaNative(x + 1)); }
export function native() { viaNative(0); }

// In a getter and in toJSON, called by JSON.stringify from Go.
export function getter() {
  const o = {};
  Object.defineProperty(o, 'x', { get() { return this.x; } });
  return o.x;
}
export function toJSON() {
  const o = { toJSON() { return { inner: { toJSON: o.toJSON } }; } };
  return JSON.stringify(o);
}

// An async function whose recursion happens before its first await.
async function deeper(n) { await deeper(n + 1); }
export function async() { return deeper(0); }

// Deep but finite: within the limit of the test (1000).
function depth(n) { return n === 0 ? 0 : 1 + depth(n - 1); }
export function fine() {
  if (depth(900) !== 900) throw new Error('depth 900 failed');
}
