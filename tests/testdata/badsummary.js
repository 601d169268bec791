export const options = { iterations: 1 };
export default function () {}
export function handleSummary() { return { stdout: 42 }; }
