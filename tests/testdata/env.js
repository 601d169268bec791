export default function () {
  if (__ENV.TARGET !== 'http://127.0.0.1:1' || __ENV.EMPTY !== '') {
    throw new Error(`__ENV.TARGET is ${__ENV.TARGET}`);
  }
  console.log(`target ${__ENV.TARGET}`);
}
