export const options = { vus: 1, duration: '1m', gracefulStop: '1m' };
export default function () { console.log('spinning'); for (;;) {} }
