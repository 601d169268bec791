// The three dictionary modes, side by side (the fork semantics of the reference).
import { ok } from 'jstest/assert';

export function modes() {
  setString('before', 'main');
  for (const mode of ['shared', 'copy', 'overlay']) {
    createBackgroundScript(mode, { exec: 'child' }, { dictionary: mode, args: { mode } });
    waitForSynchronizationPoint(`${mode}.ready`, '30s');
  }
  // children wrote 'child.<mode>' and 'before' in their own dictionary
  ok(getString('child.shared', '') === 'shared', 'shared child write not seen by main');
  ok(!hasKey('child.copy'), 'copy child write leaked to main');
  ok(!hasKey('child.overlay'), 'overlay child write leaked to main');
  ok(getString('before') === 'shared-wrote', 'before = ' + getString('before'));
  setString('after', 'main-later');
  setString('before', 'main-changed');
  setSynchronizationPoint('main-wrote');
  for (const mode of ['shared', 'copy', 'overlay']) waitForBackgroundScriptToFinish(mode, '30s');
  for (const mode of ['shared', 'copy', 'overlay']) {
    ok(backgroundScriptError(mode) === null, backgroundScriptError(mode));
  }
}

export function child(args) {
  const mode = args.mode;
  ok(getString('before') === 'main' || mode === 'copy' || getString('before') === 'shared-wrote', `${mode} reads before=${getString('before')}`);
  setString(`child.${mode}`, mode);
  if (mode === 'shared') setString('before', 'shared-wrote');
  setSynchronizationPoint(`${mode}.ready`);
  waitForSynchronizationPoint('main-wrote', '30s');
  // A key declared after the script was created is read by reference whatever
  // the mode (the fork reference), even waited for.
  const after = getString('after', 'missing');
  ok(after === 'main-later', `${mode} misses a key its creator declared later: ${after}`);
  if (mode === 'copy') ok(getString('before') !== 'main-changed', 'copy sees its creator change a key it copied');
}
