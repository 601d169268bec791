export const options = { data: { people: { file: 'data/bad.csv' } } };
export default function () {}
