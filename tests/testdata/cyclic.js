// A cyclic value stored in the dictionary fails that iteration, naming the key;
// the process goes on.
export const options = { iterations: 2 };
export default function () {
  const tree = { name: 'root', children: [] };
  tree.children.push({ parent: tree });
  if (vu.iteration === 0) set('tree', tree);
}
