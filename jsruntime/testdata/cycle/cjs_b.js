const a = require('./cjs_a.js');
exports.sawA = { ...a };
exports.seen = { early: a.early, late: a.late === undefined ? 'missing' : a.late };
