// A library module that starts a background script given by a path relative to
// itself, not to the main script.
export function startHelper() {
  createBackgroundScript('helper', './helper.js');
}
