export default function () {
  for (const id of ['a', 'b', 'c']) {
    createBackgroundScript(id, { exec: 'tick' }, { loop: true, pause: '10ms', args: { id } });
  }
  // 3,000 background runtimes starting under -race on a busy machine take
  // seconds; the timeout only ends the wait for a script that never ticks.
  waitForInteger('a', '60s');
  waitForInteger('b', '60s');
  waitForInteger('c', '60s');
}
export function tick(args) { setInteger(args.id, getInteger(args.id, 0) + 1); }
