export const options = { data: { rows: { file: 'data/rows.csv', rows: 'per-user' } } };
export default function () {}
