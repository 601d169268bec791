// handleSummary: what to do with the results at the end, as in k6. Its return
// value maps 'stdout', 'stderr' or file names to their contents; data has k6's
// shape (data.metrics.http_req_duration.values['p(95)'], data.root_group.checks)
// plus jsload's own (data.groups, data.transactions, data.errors, data.runPath,
// data.summaryText: the summary jsload would have printed).
//
//   go run ./cmd/jsload run --demo examples/js/custom-summary.js
import http from 'jsload/http';
import { check } from 'jsload';

export const options = { vus: 2, iterations: 20, thresholds: { http_req_duration: ['p(95)<500'] } };

export default function () {
  startTransaction('list products');
  const res = http.get(`${__ENV.BASE_URL}/products`);
  check(res, { 'status is 200': (r) => r.status === 200 });
  endTransaction('list products');
}

export function handleSummary(data) {
  const d = data.metrics.http_req_duration;
  const brief = {
    test: data.testName,
    requests: data.metrics.http_reqs.values.count,
    p95ms: d.values['p(95)'],
    thresholdsPassed: Object.values(d.thresholds).every((t) => t.ok),
    checks: data.root_group.checks.map((c) => ({ name: c.name, passes: c.passes, fails: c.fails })),
  };
  return {
    stdout: data.summaryText,                             // keep jsload's own summary on the terminal
    [`${data.runPath}/brief.json`]: JSON.stringify(brief, null, 2), // and a file of our own in the run folder
  };
}
