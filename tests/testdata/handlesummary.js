// handleSummary(data) with k6's data shape: the script checks the shape and
// writes its own summary to stdout and to files under __ENV.OUT.
import { check } from 'jsload';
export const options = { vus: 1, iterations: 3, thresholds: { iterations: ['count==3'], 'checks{check:one}': ['rate==1'] } };
export default function () {
  startTransaction('step');
  check(1, { one: (v) => v === 1 });
  endTransaction('step');
}
function expect(ok, what) { if (!ok) throw new Error(`summary data: ${what}`); }
export function handleSummary(data) {
  const it = data.metrics.iterations;
  expect(it.type === 'counter' && it.contains === 'default' && it.values.count === 3, 'iterations count');
  expect(it.thresholds['count==3'].ok === true, 'threshold outcome');
  expect(data.metrics['checks{check:one}'].values.rate === 1, 'sub-metric of a threshold');
  const d = data.metrics.iteration_duration;
  expect(d.type === 'trend' && d.contains === 'time' && d.values['p(95)'] >= d.values.min, 'trend stats');
  expect(data.metrics.checks.values.passes === 3 && data.metrics.checks.values.fails === 0, 'rate values');
  const c = data.root_group.checks[0];
  expect(c.name === 'one' && c.path === '::one' && c.passes === 3 && c.fails === 0 && c.id.length === 32, 'root_group checks');
  expect(data.options.summaryTrendStats.includes('p(95)'), 'options');
  expect(typeof data.state.testRunDurationMs === 'number' && data.state.isStdOutTTY === false, 'state');
  expect(data.groups.default.metrics.iterations.values.count === 3, 'VU groups');
  expect(data.transactions.step.count === 3 && data.transactions.step.passes === 3, 'transactions');
  expect(data.testName === 'handlesummary' && data.runNumber === 1 && data.runPath.startsWith('/'), 'run');
  return {
    stdout: `custom summary: ${it.values.count} iterations\n`,
    [`${__ENV.OUT}/summary.json`]: JSON.stringify(data),
    [`${__ENV.OUT}/nested/count.txt`]: String(it.values.count),
  };
}
