export const options = { data: { people: { file: 'data/nope.csv' } } };
export default function () {}
