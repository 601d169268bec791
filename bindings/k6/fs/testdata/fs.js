// k6/experimental/fs as k6's example uses it (open awaited inside a function:
// jsload has no top-level await); each test* function throws on failure.
import { open, SeekMode } from 'k6/experimental/fs';
import { eq, ok } from 'jstest/assert';

export async function testRead() {
  const file = await open('bonjour.txt');
  const info = await file.stat();
  eq(info, { name: 'bonjour.txt', size: 23 }, 'stat');
  const buffer = new Uint8Array(4);
  let total = 0, n;
  let text = '';
  while ((n = await file.read(buffer)) !== null) {
    total += n;
    text += String.fromCharCode(...buffer.subarray(0, n));
  }
  eq(total, 23, 'read it all');
  eq(text, 'bonjour, tout le monde\n', 'the text');
  eq(await file.seek(0, SeekMode.Start), 0, 'seek to the start');
  eq(await file.read(buffer), 4, 'read again');
  eq(await file.seek(-1, SeekMode.End), 22, 'seek from the end');
  eq(await file.seek(0, SeekMode.Current), 22, 'seek from here');
}

export async function testErrors() {
  let err;
  try { await open('nope.txt'); } catch (e) { err = e; }
  ok(err && err.name === 'NotFoundError' && /does not exist/.test(err.message), `a missing file: ${err}`);
  const file = await open('bonjour.txt');
  err = undefined;
  try { await file.read('x'); } catch (e) { err = e; }
  ok(err && /typed array/.test(err.message), 'a bad buffer');
  err = undefined;
  try { await file.seek(-5, SeekMode.Start); } catch (e) { err = e; }
  ok(err && /before the start/.test(err.message), 'a bad offset');
}

export async function testOwnOffsets() {
  const a = await open('bonjour.txt'), b = await open('bonjour.txt');
  await a.seek(10, SeekMode.Start);
  eq(await b.seek(0, SeekMode.Current), 0, 'each file has its own offset');
}
