// Type annotations shift nothing: errors point into this file.
interface Item { price: number }

function total(items: Item[]): number {
  return items.reduce((sum: number, i: Item) => sum + i.price, 0);
}

export default function (): void {
  const t: number = total([{ price: 1 }, { price: 2 }]);
  if (t === 3) {
    throw new Error(`total is ${t}`);
  }
}
