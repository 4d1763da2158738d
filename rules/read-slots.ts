// A PHI read is one (data class, field) pair on one patient's row, recorded for every field a request returns.
// Interning each pair as a small number, once, lets the collector keep a patient's reads as a bit mask: recording a
// field is a bit set, not two string-set insertions (rules/fast-guard.ts numbers its fields when it wraps them).

export interface ReadPair {
  readonly dataClass: string;
  readonly field: string;
}

const slots = new Map<string, number>();
const pairs: ReadPair[] = [];

/** The slot of a (data class, `Type.field`) pair: the same number for the same pair for the life of the process. */
export function readSlot(dataClass: string, field: string): number {
  const key = `${dataClass}\u0000${field}`;
  let slot = slots.get(key);
  if (slot === undefined) {
    slot = pairs.length;
    pairs.push(Object.freeze({ dataClass, field }));
    slots.set(key, slot);
  }
  return slot;
}

export function readPair(slot: number): ReadPair {
  const p = pairs[slot];
  if (!p) throw new Error(`unknown read slot ${slot}`);
  return p;
}
