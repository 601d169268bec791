export default function () {
  console.log('plain', 1, { a: [1, 2] });
  console.warn('careful');
  console.debug('hidden');
  __ENV.WHO = 'changed';
  if (__ENV.WHO !== 'tester') throw new Error('__ENV must be read-only');
}
