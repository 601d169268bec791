// Module state is per runtime: each VU has its own counter.
let n = 0;
export function next() { n += 1; return n; }
