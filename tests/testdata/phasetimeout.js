// setup() or teardown() (by __ENV.SPIN) never returns: its timeout aborts the run,
// whose results are still written.
export const options = { iterations: 1, setupTimeout: '200ms', teardownTimeout: '200ms' };
export function setup() {
  if (__ENV.SPIN === 'setup') for (;;) {}
}
export default function () {}
export function teardown() {
  if (__ENV.SPIN === 'teardown') for (;;) {}
}
