export default function () {
  setString('helper', 'lib/helper.js ran');
}
