// Data-driven VUs: each VU logs in as its own user (one fixed row per VU) and serves
// a new customer every iteration from its own block of three rows, as in the VU
// data dictionary reference: VU 1 gets rows 1-3, VU 2 rows 4-6, and iteration 4
// starts again from each VU's first row.
// Run it: go run ./cmd/jsload run examples/js/data-driven.js
import { check, vu } from 'jsload';

export const options = {
  vus: 4,
  iterations: 16,
  data: {
    users: { file: 'data/users.csv', rows: 'per-vu' },
    customers: { file: 'data/customers.csv', rows: 'per-iteration', rowsPerVU: 3 },
    config: { file: 'data/config.json' },
  },
};

export function vuInit() {
  // Per-VU rows and dictionaries are in the dictionary before vuInit.
  console.log(`VU ${vu.id} logs in as ${getString('username')} (${getString('plan')})`);
}

export default function () {
  const customer = `${getString('custForename')} ${getString('custSurname')}`;
  check(customer, {
    'customer has a name': (c) => c.trim().length > 3,
    'basket limit is a number': () => getInteger('maxBasket') === 3,
  });
  console.log(`${getString('username')} serves ${customer} of ${getString('city')} at ${getString('shopName')} (run ${getInteger('runNumber')}, iteration ${getInteger('iteration')})`);
}
