// A script-controlled cursor over a table: the script advances rows itself.
import { table } from 'jsload/data';
export const options = { data: { rows: { file: 'data/rows.csv', rows: 'shared' } } };
const rows = table('rows');
export default function () {
  const seen = [];
  while (rows.hasNext()) seen.push(rows.next().sku);
  if (seen.join(',') !== 'A1,B2,C3' || rows.size !== 3) throw new Error(`cursor saw ${seen} of ${rows.size}`);
  if (getString('sku') !== 'A1') throw new Error(`next() overwrote the VU's bound row: sku is ${getString('sku')}, want A1`);
  console.log('cursor ok');
}
