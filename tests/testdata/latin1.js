export const options = {
  vus: 1, iterations: 2,
  data: { users: { file: 'data/latin1.csv', rows: 'shared', encoding: __ENV.ENCODING || undefined } },
};
export default function () {
  console.log(`user ${getString('name')} of ${getString('city')}`);
}
