module.exports = { named: 'cjs' };
