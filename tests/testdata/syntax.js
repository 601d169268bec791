export default function () {
  const total = 1 +;
}
