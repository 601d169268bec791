export default function () { for (;;) {} }
