// Assertions for jsload's own JavaScript tests, imported by the scripts under
// testdata/: import { eq, ok, throws } from 'jstest/assert'. Each throws an Error
// saying what failed, which fails the Go test that runs the function.

// eq throws unless got and want are the same as JSON (deep equality for data).
export function eq(got, want, what) {
  const g = JSON.stringify(got), w = JSON.stringify(want);
  if (g !== w) throw new Error(`${label(what)}got ${g}, want ${w}`);
}

// ok throws unless cond is truthy.
export function ok(cond, what) {
  if (!cond) throw new Error(what === undefined ? 'not ok' : String(what));
}

// throws calls fn and returns what it threw. It throws itself when fn returns, or
// when the error does not match want: a RegExp is tested against String(e)
// ("Name: message"), a string must be part of e.message.
export function throws(fn, want, what) {
  let e, threw = false;
  try {
    fn();
  } catch (x) {
    e = x;
    threw = true;
  }
  const lbl = label(what === undefined ? String(fn) : what);
  if (!threw) throw new Error(`${lbl}no error, want ${want}`);
  const matched = want instanceof RegExp ? want.test(String(e)) : String(e && e.message).includes(want);
  if (!matched) throw new Error(`${lbl}threw "${e}", want ${want}`);
  return e;
}

function label(what) {
  return what === undefined ? '' : `${what}: `;
}

// cyclicTree returns a tree whose child links back to it: tree.children[0].parent
// is tree, a value no API may store.
export function cyclicTree() {
  const tree = { name: 'root', children: [] };
  tree.children.push({ name: 'leaf', parent: tree });
  return tree;
}

// nested returns an object nested depth levels deep: { a: { a: ... } }.
export function nested(depth) {
  let o = {};
  for (let i = 0; i < depth; i++) o = { a: o };
  return o;
}
