// k6/experimental/csv; each test* function throws on failure.
import { open } from 'k6/experimental/fs';
import csv from 'k6/experimental/csv';
import { eq, ok } from 'jstest/assert';

export async function testParse() {
  const file = await open('data.csv');
  const rows = await csv.parse(file, { delimiter: ',' });
  eq(rows.length, 4, 'every line');
  eq(rows[0], ['name', 'age'], 'an array of fields');
  eq(rows[3], ['carol, jr', '7'], 'RFC 4180 quotes');
  ok(Object.isFrozen(rows[1]), 'frozen');
  const objs = await csv.parse(file, { asObjects: true });
  eq(objs.length, 3, 'objects: the first line is the header');
  eq(objs[1], { name: 'bob', age: '25' }, 'an object');
  eq((await csv.parse(file, { skipFirstLine: true })).length, 3, 'skipFirstLine');
  eq([...(await csv.parse(file, { fromLine: 1, toLine: 2 }))], [['alice', '30'], ['bob', '25']], 'fromLine, toLine');
}

export async function testParser() {
  const parser = new csv.Parser(await open('data.csv'), { skipFirstLine: true });
  const names = [];
  for (;;) {
    const { done, value } = await parser.next();
    if (done) break;
    names.push(value[0]);
  }
  eq(names, ['alice', 'bob', 'carol, jr'], 'row by row');
}

export async function testErrors() {
  let err;
  try { await csv.parse('data.csv'); } catch (e) { err = e; }
  ok(err && /must be a file of k6\/experimental\/fs/.test(err.message), `not a file: ${err}`);
  err = undefined;
  try { await csv.parse(await open('data.csv'), { separator: ';' }); } catch (e) { err = e; }
  ok(err && /unknown option "separator"/.test(err.message), 'an unknown option');
}
