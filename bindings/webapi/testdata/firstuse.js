// Functions that each read one web global, for BenchmarkFirstUse.
export function none() { return 0; }
export function url() { return typeof URL; }
export function buffer() { return typeof Buffer; }
export function subtle() { return typeof crypto.subtle; }
export function textEncoder() { return typeof TextEncoder; }
export function structuredCloneFn() { return typeof structuredClone; }
