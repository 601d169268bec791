// Two VU groups at once: "browsing" users ramp up, stay and leave (a closed model:
// each VU loops as fast as its think time allows), while an "api" group receives a
// constant 20 requests/s whatever their duration (an open model: iterations start
// on schedule, taken by free VUs of a pool).
// Run it: go run ./cmd/jsload run examples/js/groups.js
// See the plan without running it: go run ./cmd/jsload check examples/js/groups.js
import { check, pause, sleep, vu } from 'jsload';

export const options = {
  groups: {
    browsing: {
      executor: 'ramping-vus',
      startVUs: 0,
      stages: [
        { duration: '1s', target: 5 },   // ramp up to 5 VUs
        { duration: '2s', target: 5 },   // stay
        { duration: '1s', target: 0 },   // ramp down; a leaving VU gets gracefulRampDown to finish
      ],
      gracefulRampDown: '1s',
      pacing: '300ms',                   // at most one page view every 300ms per VU
      tags: { kind: 'browser' },
    },
    api: {
      executor: 'constant-arrival-rate',
      exec: 'apiCall',                   // this group iterates the apiCall export
      rate: 20,
      timeUnit: '1s',
      duration: '3s',
      startTime: '500ms',                // starts half a second after browsing
      preAllocatedVUs: 2,
      maxVUs: 5,                         // more VUs are initialised if the 2 are busy
      vuInit: 'apiLogin',                // per-group life cycle
      env: { API_KEY: 'demo' },
    },
  },
};

export function vuInit() {
  console.log(`browser ${vu.idInGroup} (VU ${vu.id}) opens the site`);
}

export default function () {
  check(vu.group, { 'a browsing VU': (g) => g === 'browsing' });
  pause(0.1, 0.2);                       // think time, scaled by --think-time-factor
}

export function apiLogin() {
  check(__ENV.API_KEY, { 'API key set': (k) => k === 'demo' });
}

export function apiCall() {
  check(vu.iterationInGroup, { 'numbered across the group': (n) => n >= 0 });
  sleep(0.05);                           // a 50 ms call: 20/s keep about one VU busy
}
