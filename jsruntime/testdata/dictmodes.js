// The three dictionary modes, side by side (the fork semantics of the reference).
function expect(cond, msg) { if (!cond) throw new Error(msg); }

export function modes() {
  setString('before', 'main');
  for (const mode of ['shared', 'copy', 'overlay']) {
    createBackgroundScript(mode, { exec: 'child' }, { dictionary: mode, args: { mode } });
    waitForSynchronizationPoint(`${mode}.ready`, '30s');
  }
  // children wrote 'child.<mode>' and 'before' in their own dictionary
  expect(getString('child.shared', '') === 'shared', 'shared child write not seen by main');
  expect(!hasKey('child.copy'), 'copy child write leaked to main');
  expect(!hasKey('child.overlay'), 'overlay child write leaked to main');
  expect(getString('before') === 'shared-wrote', 'before = ' + getString('before'));
  setString('after', 'main-later');
  setSynchronizationPoint('main-wrote');
  for (const mode of ['shared', 'copy', 'overlay']) waitForBackgroundScriptToFinish(mode, '30s');
  for (const mode of ['shared', 'copy', 'overlay']) {
    expect(backgroundScriptError(mode) === null, backgroundScriptError(mode));
  }
}

export function child(args) {
  const mode = args.mode;
  expect(getString('before') === 'main' || mode === 'copy' || getString('before') === 'shared-wrote', `${mode} reads before=${getString('before')}`);
  setString(`child.${mode}`, mode);
  if (mode === 'shared') setString('before', 'shared-wrote');
  setSynchronizationPoint(`${mode}.ready`);
  waitForSynchronizationPoint('main-wrote', '30s');
  const after = getString('after', 'missing');
  if (mode === 'copy') expect(after === 'missing', 'copy sees a later parent write');
  else expect(after === 'main-later', `${mode} misses a later parent write: ${after}`);
}
