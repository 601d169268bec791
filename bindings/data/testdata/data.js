// jsload/data as scripts use it: table(name) cursors over options.data, one
// function per case; each throws on failure. The Go test binds the tables.
import { table } from 'jsload/data';
import { eq, throws } from 'jstest/assert';

const users = table('users'); // at the top level, before the VU's data is bound

export function walk() {
  eq([users.name, users.size, users.index, users.row, users.hasNext()], ['users', 4, -1, null, true], 'before the first row');
  setString('name', 'bound'); // as the VU's binding of users does each iteration
  eq(users.next(), { name: 'ann', age: '31' }, 'the first row');
  eq(getString('name'), 'bound', 'next leaves the row the VU is bound to in the dictionary');
  eq([users.index, users.row], [0, { name: 'ann', age: '31' }], 'on the first row');
  eq([users.next().name, users.next().name, users.next().name], ['bob', 'cid', 'dan'], 'the next rows');
  eq([users.hasNext(), users.next(), users.index], [false, null, 3], 'after the last row');
  users.reset();
  eq([users.index, users.next().name], [-1, 'ann'], 'after reset');
}

// block runs as the second of two VUs: its per-iteration block is rows 2-3.
export function block() {
  const b = table('blocks');
  eq([b.size, b.next().item, b.next().item, b.next()], [2, 'w3', 'w4', null], 'the VU\'s block');
}

export function errors() {
  throws(() => table('nope').next(), 'table("nope"): data: no table named "nope" in options.data', 'an unknown table');
  throws(() => table('config').size, 'table("config"): data: no table named "config"', 'a dictionary');
  throws(() => table('admins').next(), /table\("admins"\): .*not bound to this VU's group/, 'another group\'s table');
}

// noData runs without options.data.
export function noData() {
  throws(() => users.next(), 'table("users"): the test has no options.data', 'a table without data');
}

export default function () {}
