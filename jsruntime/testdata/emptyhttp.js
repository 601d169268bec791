// An empty iteration in a VU whose HTTP client exists (it subscribes to new browsers).
import http from 'jsload/http';
export default function () {}
