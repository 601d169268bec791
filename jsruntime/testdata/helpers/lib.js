export const answer = 42;
export function twice(n) { return 2 * n; }
