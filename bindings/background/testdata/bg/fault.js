export default function () {
  throw new Error('poller broke');
}
