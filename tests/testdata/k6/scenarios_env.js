// A k6 script with scenarios, which K6_* variables or flags may replace.
export const options = {
  scenarios: { a: { executor: 'constant-vus', vus: 2, duration: '30s' } },
};
export default function () {}
