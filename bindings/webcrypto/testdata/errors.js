export function testNothing() {}
