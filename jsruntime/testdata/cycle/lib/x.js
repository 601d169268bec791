import { y } from './y.js';
export function x() { return 'x'; }
export function fromX() { return y(); }
