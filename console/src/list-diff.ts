// Lists compared by identity, not position: removing "sms" from [sms, email] is "sms removed", never "sms -> email,
// email removed". An item's identity is its `id` (or `name`) when it is an object that has one, else its JSON.

export interface ListDiff<T> {
  readonly added: readonly T[];
  readonly removed: readonly T[];
  readonly kept: readonly T[];
}

export function identityOf(item: unknown): string {
  if (item !== null && typeof item === 'object' && !Array.isArray(item)) {
    const o = item as Record<string, unknown>;
    if (typeof o.id === 'string' || typeof o.id === 'number') return `id:${String(o.id)}`;
    if (typeof o.name === 'string') return `name:${o.name}`;
  }
  return `json:${canonical(item)}`;
}

/** JSON with object keys sorted, so {a,b} and {b,a} are the same item. */
export function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    return `{${Object.keys(value)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonical((value as Record<string, unknown>)[k])}`)
      .join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

/** Multiset difference by identity (an item listed twice and kept once is one removal). */
export function listDiff<T>(before: readonly T[], after: readonly T[], identity: (item: T) => string = identityOf): ListDiff<T> {
  const left = new Map<string, T[]>();
  for (const item of before) left.set(identity(item), [...(left.get(identity(item)) ?? []), item]);
  const added: T[] = [];
  const kept: T[] = [];
  for (const item of after) {
    const same = left.get(identity(item));
    if (same && same.length > 0) {
      same.shift();
      kept.push(item);
    } else added.push(item);
  }
  const removed = [...left.values()].flat();
  return { added, removed, kept };
}
