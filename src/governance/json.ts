import { z } from 'zod';

// JSON values: what a setting holds, what a change records as before and after, what the store serializes.

export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };

export const jsonValueSchema: z.ZodType<JsonValue> = z.lazy(() =>
  z.union([
    z.string(),
    z.number().refine(Number.isFinite, 'must be a finite number'),
    z.boolean(),
    z.null(),
    z.array(jsonValueSchema),
    z.record(z.string(), jsonValueSchema),
  ]),
);

export function isJsonObject(v: unknown): v is { [key: string]: JsonValue } {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Deep equality of JSON values; object key order does not matter, array order does. */
export function jsonEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a) || Array.isArray(b)) {
    if (!Array.isArray(a) || !Array.isArray(b) || a.length !== b.length) return false;
    return a.every((x, i) => jsonEqual(x, b[i]));
  }
  if (isJsonObject(a) && isJsonObject(b)) {
    const ka = Object.keys(a);
    if (ka.length !== Object.keys(b).length) return false;
    return ka.every((k) => Object.hasOwn(b, k) && jsonEqual(a[k], b[k]));
  }
  return false;
}

/** A deep copy with object keys sorted, so that equal values serialize identically. */
export function canonicalJson(v: JsonValue): JsonValue {
  if (Array.isArray(v)) return v.map(canonicalJson);
  if (isJsonObject(v)) {
    // No prototype: a `__proto__` key of client JSON stays a key (on `{}` it would set the prototype and vanish).
    const out = Object.create(null) as { [key: string]: JsonValue };
    for (const k of Object.keys(v).sort()) out[k] = canonicalJson(v[k] as JsonValue);
    return out;
  }
  return v;
}
