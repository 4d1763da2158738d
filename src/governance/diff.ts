import { isJsonObject, jsonEqual, type JsonValue } from './json.js';

// A JSON-aware diff of two values: what an approver sees and what the audit log records as "what changed".
//
// Paths are JSON Pointers (RFC 6901): "" is the whole value, "/threshold" a field, "/rules/0/queue" a field of the
// first array element; "~" and "/" inside keys are escaped as "~0" and "~1". Ordering is stable: depth first, object
// keys in code-point order, array elements by index. Arrays are compared position by position: an element present
// on both sides is diffed recursively, extra elements are "add" (after is longer) or "remove" (before is longer),
// always with the index they have on their own side. A change of type (object to array, number to string, ...) is a
// single "replace" of that path.

export type DiffOp = 'add' | 'remove' | 'replace';

export interface DiffEntry {
  readonly path: string;
  readonly op: DiffOp;
  readonly before?: JsonValue;
  readonly after?: JsonValue;
}

const escapeSegment = (s: string) => s.replace(/~/g, '~0').replace(/\//g, '~1');

export function diffJson(before: JsonValue, after: JsonValue): DiffEntry[] {
  const out: DiffEntry[] = [];
  walk(before, after, '', out);
  return out;
}

function walk(before: JsonValue, after: JsonValue, path: string, out: DiffEntry[]): void {
  if (jsonEqual(before, after)) return;
  if (Array.isArray(before) && Array.isArray(after)) {
    const n = Math.max(before.length, after.length);
    for (let i = 0; i < n; i++) {
      const p = `${path}/${i}`;
      if (i >= after.length) out.push({ path: p, op: 'remove', before: before[i] as JsonValue });
      else if (i >= before.length) out.push({ path: p, op: 'add', after: after[i] as JsonValue });
      else walk(before[i] as JsonValue, after[i] as JsonValue, p, out);
    }
    return;
  }
  if (isJsonObject(before) && isJsonObject(after)) {
    const keys = [...new Set([...Object.keys(before), ...Object.keys(after)])].sort();
    for (const k of keys) {
      const p = `${path}/${escapeSegment(k)}`;
      const inBefore = Object.hasOwn(before, k);
      const inAfter = Object.hasOwn(after, k);
      if (!inAfter) out.push({ path: p, op: 'remove', before: before[k] as JsonValue });
      else if (!inBefore) out.push({ path: p, op: 'add', after: after[k] as JsonValue });
      else walk(before[k] as JsonValue, after[k] as JsonValue, p, out);
    }
    return;
  }
  out.push({ path, op: 'replace', before, after });
}

/** One stored version of something versioned (a setting's history entry is one). */
export interface Versioned {
  readonly version: number;
  readonly value: JsonValue;
}

export type DiffVersionsResult =
  | { readonly ok: true; readonly from: number; readonly to: number; readonly diff: DiffEntry[] }
  | { readonly ok: false; readonly missing: number[] };

/** Compares any two versions of a history (either order); names the versions that are not in it. */
export function diffVersions(history: readonly Versioned[], from: number, to: number): DiffVersionsResult {
  const a = history.find((h) => h.version === from);
  const b = history.find((h) => h.version === to);
  if (!a || !b) return { ok: false, missing: [...new Set([a ? null : from, b ? null : to])].filter((v) => v !== null) };
  return { ok: true, from, to, diff: diffJson(a.value, b.value) };
}
