import { sleep } from 'jsload';
export function spin() { for (;;) {} }
export function nap() { sleep(3600); }
export function timer() { return new Promise((resolve) => setTimeout(resolve, 3600 * 1000)); }
export function catcher() {
  // An interrupt cannot be caught by the script.
  for (;;) { try { for (;;) {} } catch (e) { /* keep going */ } }
}
export default function () {}
