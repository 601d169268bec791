export function setup() {
  return { token: 'abc', list: [1, 2, 3] };
}
export default function (data) {
  if (data.token !== 'abc' || data.list.length !== 3) throw new Error('bad setup data ' + JSON.stringify(data));
}
export function teardown(data) {
  return { seen: data.token };
}
