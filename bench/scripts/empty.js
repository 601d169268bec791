// An empty iteration: the floor of jsload's per-iteration cost.
export default function () {}
