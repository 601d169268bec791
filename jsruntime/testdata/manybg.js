export default function () {
  for (const id of ['a', 'b', 'c']) {
    createBackgroundScript(id, { exec: 'tick' }, { loop: true, pause: '10ms', args: { id } });
  }
  waitForInteger('a', '5s');
  waitForInteger('b', '5s');
  waitForInteger('c', '5s');
}
export function tick(args) { setInteger(args.id, getInteger(args.id, 0) + 1); }
