exports.early = true;
const b = require('./cjs_b.js');
exports.late = true;
module.exports.sawB = b.sawA === undefined ? null : b.seen;
module.exports.b = b;
