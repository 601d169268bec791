// A default export whose getter aborts the test: the interrupt comes while jsload
// reads the export, after the module has been evaluated.
module.exports = {
  get default() {
    abortTest('while the export is read');
    return function () {};
  },
};
