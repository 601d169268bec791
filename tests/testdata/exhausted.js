// One row per VU, used again once it ran out: the warning names the VU as every
// other message does (VU 1 is the first).
export const options = {
  iterations: 2,
  data: { rows: { file: 'data/rows.csv', rows: 'per-iteration', rowsPerVU: 1, onExhausted: 'last' } },
};
export default function () {}
