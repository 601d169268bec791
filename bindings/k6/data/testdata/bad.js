const { SharedArray } = require('k6/data');
new SharedArray('bad', () => 3);
