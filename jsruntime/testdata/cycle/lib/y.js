import { x } from './x.js';
export function y() { return x() + ' calls y calls x'; }
