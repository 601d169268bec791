// k6/execution and __ENV as the scheduler fills them: every iteration fails
// (fail) unless what it reads is what k6 would give it.
import exec from 'k6/execution';
import { fail } from 'k6';

export const options = { vus: 2, iterations: 6, tags: undefined };

function expect(cond, what) {
  if (!cond) fail(`${what}: ${JSON.stringify({ scenario: exec.scenario, vu: exec.vu.idInTest })}`);
}

export default function () {
  const s = exec.scenario;
  expect(s.name === 'default', 'scenario.name');
  expect(s.executor === 'shared-iterations', `scenario.executor ${s.executor}`);
  expect(s.startTime > 1.6e12 && s.startTime <= Date.now(), 'scenario.startTime');
  expect(s.progress > 0 && s.progress <= 1, `scenario.progress ${s.progress}`);
  expect(s.iterationInTest >= 0 && s.iterationInTest < 6, 'scenario.iterationInTest');
  expect(exec.vu.idInTest === __VU && (__VU === 1 || __VU === 2), 'vu.idInTest');
  expect(exec.vu.iterationInScenario === __ITER, 'vu.iterationInScenario');
  expect(exec.instance.vusInitialized === 2, `instance.vusInitialized ${exec.instance.vusInitialized}`);
  expect(exec.instance.currentTestRunDuration >= 0, 'instance.currentTestRunDuration');
  expect(exec.test.options.vus === 2, 'test.options');
  expect(__ENV.JSLOAD_K6_TEST === 'from the environment', '__ENV has the process environment');
  expect(__ENV.FLAG === 'cli', '-e wins over the environment');
}
