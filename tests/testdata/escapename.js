export const options = { testName: '../escaped' };
export default function () {}
