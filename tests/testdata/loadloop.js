// A top level that never returns: Ctrl+C must still interrupt it.
console.log('loading forever');
for (;;) {}
export default function () {}
