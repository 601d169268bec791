export const options = {
  scenarios: { ctl: { executor: 'externally-controlled', vus: 1, maxVUs: 10, duration: '10m' } },
};
export default function () {}
