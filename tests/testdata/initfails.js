// VU 2's vuInit throws after VU 2 took one of the 6 shared iterations (VU 1
// waits for that in its first iteration): that iteration is counted as failed,
// not lost.
export const options = { vus: 2, iterations: 6 };
export function vuInit() {
  if (vu.id === 2) {
    shared.set('vu2 took one', true);
    throw new Error('login failed');
  }
}
export default function () {
  if (vu.id === 1 && vu.iteration === 0) {
    for (let i = 0; i < 3000 && !shared.get('vu2 took one'); i++) sleep(0.01); // bound: against a hang only
  }
}
