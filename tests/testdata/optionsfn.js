// options exported as a function: jsload does not call it.
export function options() {
  return { vus: 2 };
}
export default function () {}
