// Options from -e OPTIONS=<json>, to try invalid combinations.
export const options = JSON.parse(__ENV.OPTIONS);
export default function () {}
export function api() {}
export const notAFunction = 3;
