// Stop scopes, as the Go tests drive them: create() makes background script
// 'bg' with the options in the dictionary key 'opts' (JSON); what the test does
// next stops it, or not.
import { sleep } from 'jsload';

export function create() {
  createBackgroundScript('bg', { exec: getString('exec', 'sleepLong') }, JSON.parse(getString('opts', '{}')));
  if (getString('exec', '') === 'tick') waitForInteger('ticks', '30s');
}

export function sleepLong() { sleep(3600); }
export function syncForever() { waitForSynchronizationPoint('never-set'); }
export function waitForever() { waitForString('never-set'); }
export function popForever() { shared.pop('never-pushed'); }
export function spin() { for (;;) {} } // deaf to a stop request
export function tick() { setInteger('ticks', getInteger('ticks', 0) + 1); }

export function stopNow() { stopBackgroundScriptImmediately('bg'); }

export default function () {}
