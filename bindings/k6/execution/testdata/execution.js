// k6/execution as k6 scripts use it; each test* function throws on failure. The
// Go test gives the VU (id 7) a run state: group "default", executor
// constant-vus, progress 0.25, started at 1700000000000 ms.
import exec from 'k6/execution';
import { check } from 'k6';
import { eq, ok, throws } from 'jstest/assert';

const inInit = [];
try { exec.vu; } catch (e) { inInit.push(String(e)); }
try { exec.test.options; } catch (e) { inInit.push(String(e)); }

export function testInit() {
  ok(/not available in the init context/.test(inInit[0]), `vu in the init context: ${inInit[0]}`);
  ok(/not available in the init context/.test(inInit[1]), `test.options in the init context: ${inInit[1]}`);
}

export function testVU() {
  eq(exec.vu.idInTest, 7, 'idInTest');
  eq(exec.vu.idInInstance, 7, 'idInInstance');
  eq(exec.vu.iterationInInstance, 0, 'iterationInInstance');
  eq(exec.vu.iterationInScenario, 0, 'iterationInScenario');
}

export function testScenario() {
  const s = exec.scenario;
  eq(s.name, 'default', 'name');
  eq(s.executor, 'constant-vus', 'executor');
  eq(s.startTime, 1700000000000, 'startTime');
  eq(s.progress, 0.25, 'progress');
  eq(s.iterationInTest, 0, 'iterationInTest');
}

export function testInstance() {
  const i = exec.instance;
  eq(i.iterationsCompleted, 12, 'iterationsCompleted');
  eq(i.iterationsInterrupted, 2, 'iterationsInterrupted');
  eq(i.vusInitialized, 3, 'vusInitialized');
  ok(i.currentTestRunDuration > 0, 'currentTestRunDuration');
}

export function testTags() {
  const tags = exec.vu.tags;
  eq(tags.group, 'default', 'the VU group');
  tags.flow = 'checkout';
  tags.step = 2;
  eq(exec.vu.metrics.tags.flow, 'checkout', 'set, read through metrics.tags');
  eq(tags.step, '2', 'numbers become strings');
  check(1, { 'tagged check': () => true });
  delete tags.step;
  eq(tags.step, undefined, 'deleted');
  eq(Object.keys(tags).sort(), ['flow', 'group'], 'keys');
  throws(() => { tags.bad = { a: 1 }; }, /a tag value is a string/, 'an object value');
  throws(() => { exec.vu.metrics.metadata.trace = 'x'; }, /metadata is not supported/, 'metadata');
}

export function testOptions() {
  eq(exec.test.options.vus, 3, 'the script options');
  ok(Object.isFrozen(exec.test.options), 'frozen');
  throws(() => exec.test.fail('x'), /test.fail\(\) is not supported/, 'test.fail');
}

export function abort() {
  exec.test.abort('stock is gone');
}
