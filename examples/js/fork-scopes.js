// The three dictionary modes of background scripts side by side, with the
// semantics of a NeoLoad fork: 'shared' works on the VU's dictionary by
// reference, 'copy' on its own copy of the keys that exist at creation (keys the
// VU declares later are read by reference), 'overlay' reads through to the VU's
// dictionary until it writes a key itself; both keep their writes.
// Run it: go run ./cmd/jsload run examples/js/fork-scopes.js
import { check } from 'jsload';

export const options = { vus: 1, iterations: 1 };

export default function () {
  setString('token', 'from-main');
  for (const mode of ['shared', 'copy', 'overlay']) {
    createBackgroundScript(mode, { exec: 'child' }, { dictionary: mode, args: { mode }, stop: 'script' });
  }
  // Each child has read 'token' and written 'seen.<mode>'.
  for (const mode of ['shared', 'copy', 'overlay']) waitForSynchronizationPoint(`${mode}-wrote`, '5s');
  setString('late', 'written by main after the children started');
  setString('token', 'changed by main');
  setSynchronizationPoint('main-wrote');
  for (const mode of ['shared', 'copy', 'overlay']) waitForBackgroundScriptToFinish(mode, '5s');

  check(null, {
    'shared child writes reach the VU': () => getString('seen.shared', '') === 'yes',
    'copy child writes stay its own': () => !hasKey('seen.copy'),
    'overlay child writes stay its own': () => !hasKey('seen.overlay'),
  });
}

export function child({ mode }) {
  console.log(`${mode}: reads token = ${getString('token')}`);
  setString(`seen.${mode}`, 'yes');
  setSynchronizationPoint(`${mode}-wrote`);
  waitForSynchronizationPoint('main-wrote', '5s');
  const late = getString('late', 'missing');
  const token = getString('token');
  console.log(`${mode}: reads late = ${late}, token = ${token}`);
  // Checks count for the VU wherever they run.
  check(null, {
    [`${mode} child sees a key the VU declares later`]: () => late !== 'missing',
    [`${mode} child ${mode === 'copy' ? 'keeps its copy of' : 'sees the VU change'} a key that existed`]: () =>
      mode === 'copy' ? token === 'from-main' : token === 'changed by main',
  });
}
