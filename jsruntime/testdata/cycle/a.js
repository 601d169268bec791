import { bName, b } from './b.js';
export const aName = 'a';
export let counter = 0;
export function a() { return 'a sees ' + bName; }
export function bump() { counter++; }
export function hello() { return 'hello from a'; }
export function callB() { return b(); }
