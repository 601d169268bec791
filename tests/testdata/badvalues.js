// Options JSON would silently change, one case per __ENV.CASE.
const cases = {
  infinity: { vus: Infinity, duration: '1s' },
  nan: { vus: parseInt(__ENV.UNSET), duration: '1s' },
  nested: { thresholds: { http_req_duration: ['p(95)<500'] }, groups: { g: { executor: 'constant-vus', vus: 2, duration: 0 / 0 } } },
  stages: { stages: [1, 2] },
  fn: { vus: 1, setupTimeout: () => '1s' },
};
export const options = cases[__ENV.CASE];
export default function () {}
