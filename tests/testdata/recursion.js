// A runaway recursion in every other iteration: each fails that iteration only,
// with a RangeError at the recursion's line; the others complete.
export const options = { iterations: 4 };
function down(n) { return down(n + 1) + 1; }
export default function () {
  if (vu.iteration % 2 === 0) down(0);
}
