export const options = { vus: 2, duraton: '10s' };
export default function () {}
