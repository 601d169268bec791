export const options = {
  vus: 2, duration: '1m',
  thresholds: { iterations_failed: [{ threshold: 'count<1', abortOnFail: true }] },
};
export default function () { throw new Error('always fails'); }
