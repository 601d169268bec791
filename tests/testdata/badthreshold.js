export const options = { thresholds: { http_req_duration: ['p95 < 300'] } };
export default function () {}
