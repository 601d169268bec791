// k6/data's SharedArray as k6 scripts use it; each test* function throws on
// failure. The Go test runs several VUs to see that fn runs once per run.
import { SharedArray } from 'k6/data';
import { eq, ok, throws } from 'jstest/assert';

let calls = 0;
const users = new SharedArray('users', function () {
  calls++;
  setString('built', 'yes'); // the Go test counts the VUs that built it
  return [{ name: 'alice', roles: ['admin'] }, { name: 'bob', roles: [] }, 'carol', 7, null];
});
const again = new SharedArray('users', () => { throw new Error('built twice'); });

export function testRead() {
  eq(users.length, 5, 'length');
  eq(users[0].name, 'alice', 'an element');
  eq(users[0].roles, ['admin'], 'nested');
  eq(users[2], 'carol', 'a string');
  eq(users[4], null, 'null');
  eq(users[9], undefined, 'out of range');
  eq(again.length, 5, 'the same name is the same array');
  eq(users.map((u) => (typeof u === 'object' && u ? u.name : u)), ['alice', 'bob', 'carol', 7, null], 'map');
  eq([...users].length, 5, 'iterable');
  eq(JSON.stringify(users[1]), '{"name":"bob","roles":[]}', 'JSON');
}

export function testReadOnly() {
  throws(() => { users[0] = 1; }, /read-only/, 'set an element');
  throws(() => users.push(1), /read-only/, 'push');
  const u = users[0];
  ok(Object.isFrozen(u) && Object.isFrozen(u.roles), 'elements are frozen');
  throws(() => { 'use strict'; u.name = 'eve'; }, /TypeError: Cannot assign to read only/, 'change an element');
  eq(users[0].name, 'alice', 'unchanged');
}

export function testErrors() {
  throws(() => new SharedArray('late', () => []), /init context/, 'outside the init context');
}

export function testErrorsInInit() {
  throws(() => require('./bad.js'), /must return an array, got 3/, 'not an array');
}
