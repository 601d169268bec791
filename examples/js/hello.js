// The smallest jsload script: each iteration of each VU logs a line and sleeps.
// Run it: go run ./cmd/jsload run --vus 2 --iterations 4 examples/js/hello.js
import { sleep, vu } from 'jsload';

export default function () {
  console.log(`hello from VU ${vu.id}, iteration ${vu.iteration}`);
  sleep(0.1);
}
