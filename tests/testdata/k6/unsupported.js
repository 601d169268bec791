// k6 options jsload does not apply: each is one warning, and the test runs.
export const options = {
  iterations: 1,
  rps: 100,
  blockHostnames: ['*.example.com'],
  dns: { ttl: '1m', select: 'first' },
  ext: { loadimpact: { projectID: 1 } },
  noSetup: false,
};
export default function () {}
