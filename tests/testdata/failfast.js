// Every iteration fails at once (a typo in an API name): the VU backs off
// instead of failing tens of thousands of times a second.
export const options = { vus: 1, duration: '1s' };
export default function () {
  htpp.get('http://127.0.0.1:1/');
}
