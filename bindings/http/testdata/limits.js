// Cases of TestBodyLimitMemory; __ENV.FAULTS is a fault target (package faults).
import http from 'jsload/http';

export function warm() {
  if (http.get(`${__ENV.FAULTS}/ok`).status !== 200) throw new Error('warm-up failed');
}

export function bomb() {
  const r = http.get(`${__ENV.FAULTS}/bomb?mib=256`, { maxResponseBodySize: '1MiB' });
  if (r.errorCode !== 1702) throw new Error(`bomb: status ${r.status} errorCode ${r.errorCode} ${r.error}`);
  if (http.get(`${__ENV.FAULTS}/ok`).status !== 200) throw new Error('the request after the bomb failed');
}

export default function () {}
