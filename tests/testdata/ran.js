export default function () {
  console.log('iteration ran');
}
