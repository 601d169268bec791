// Timers, promises and async functions inside one iteration.
export async function ordering() {
  const seen = [];
  setTimeout(() => seen.push('timeout 20'), 20);
  setTimeout(() => seen.push('timeout 0'), 0);
  Promise.resolve().then(() => seen.push('microtask'));
  seen.push('sync');
  await new Promise((resolve) => setTimeout(resolve, 40));
  const want = 'sync,microtask,timeout 0,timeout 20';
  if (seen.join(',') !== want) throw new Error(`order ${seen.join(',')}, want ${want}`);
}

export function interval() {
  let n = 0;
  // Resolved 20 ms after the third tick cleared the interval, not after a fixed 100 ms a busy machine can use up.
  return new Promise((resolve) => {
    const id = setInterval(() => {
      if (++n === 3) { clearInterval(id); setTimeout(() => resolve(n), 20); } // a cleared interval does not tick again
    }, 5);
  }).then((v) => {
    if (v !== 3) throw new Error(`interval ran ${v} times, want 3`);
  });
}

export function pendingTimer() {
  // No promise returned: the iteration still waits for the timer it armed.
  setTimeout(() => { globalThis.timerRan = (globalThis.timerRan || 0) + 1; }, 10);
}

export function checkTimerRan() {
  if (globalThis.timerRan !== 1) throw new Error(`timer ran ${globalThis.timerRan} times, want 1`);
}

export async function rejects() {
  await null;
  throw new Error('async boom');
}

export function unhandled() {
  Promise.reject(new Error('nobody handles me'));
}

export function neverSettles() {
  return new Promise(() => {});
}

export default function () {}
