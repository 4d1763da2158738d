import { describe, expect, it } from 'vitest';
import { diffJson, diffVersions } from '../../src/governance/diff.js';
import { jsonEqual } from '../../src/governance/json.js';

describe('diffJson', () => {
  it('equal values (key order aside) have no diff', () => {
    expect(diffJson({ a: 1, b: [1, { c: 2 }] }, { b: [1, { c: 2 }], a: 1 })).toEqual([]);
    expect(jsonEqual({ a: 1, b: 2 }, { b: 2, a: 1 })).toBe(true);
  });

  it('scalars at the root are one replace of ""', () => {
    expect(diffJson(false, true)).toEqual([{ path: '', op: 'replace', before: false, after: true }]);
    expect(diffJson(null, 'x')).toEqual([{ path: '', op: 'replace', before: null, after: 'x' }]);
  });

  it('objects: add, remove, replace, nested, in key order', () => {
    expect(diffJson({ z: 1, a: { x: 1, y: 2 }, gone: true }, { z: 2, a: { x: 1, y: 3, w: 0 }, added: 'n' })).toEqual([
      { path: '/a/w', op: 'add', after: 0 },
      { path: '/a/y', op: 'replace', before: 2, after: 3 },
      { path: '/added', op: 'add', after: 'n' },
      { path: '/gone', op: 'remove', before: true },
      { path: '/z', op: 'replace', before: 1, after: 2 },
    ]);
  });

  it('arrays: by position, extra elements added or removed', () => {
    expect(diffJson([7, 14, 30], [7, 21])).toEqual([
      { path: '/1', op: 'replace', before: 14, after: 21 },
      { path: '/2', op: 'remove', before: 30 },
    ]);
    expect(diffJson([{ q: 'a' }], [{ q: 'b' }, { q: 'c' }])).toEqual([
      { path: '/0/q', op: 'replace', before: 'a', after: 'b' },
      { path: '/1', op: 'add', after: { q: 'c' } },
    ]);
  });

  it('a type change is one replace; keys with / and ~ are escaped', () => {
    expect(diffJson({ a: [1] }, { a: { 0: 1 } })).toEqual([{ path: '/a', op: 'replace', before: [1], after: { 0: 1 } }]);
    expect(diffJson({ 'a/b~c': 1 }, { 'a/b~c': 2 })).toEqual([{ path: '/a~1b~0c', op: 'replace', before: 1, after: 2 }]);
  });

  it('is stable: the same inputs give the same list', () => {
    const b = { m: { y: 1, x: [1, 2] }, k: 'v' };
    const a = { k: 'w', m: { x: [2], y: 1 } };
    expect(diffJson(b, a)).toEqual(diffJson(structuredClone(b), structuredClone(a)));
  });
});

describe('diffVersions', () => {
  const history = [{ version: 1, value: { t: 0.8 } }, { version: 2, value: { t: 0.7 } }, { version: 3, value: { t: 0.9 } }];
  it('compares any two versions, either way', () => {
    expect(diffVersions(history, 1, 3)).toEqual({
      ok: true,
      from: 1,
      to: 3,
      diff: [{ path: '/t', op: 'replace', before: 0.8, after: 0.9 }],
    });
    expect(diffVersions(history, 3, 1)).toMatchObject({ ok: true, diff: [{ before: 0.9, after: 0.8 }] });
  });
  it('names the missing versions', () => {
    expect(diffVersions(history, 1, 9)).toEqual({ ok: false, missing: [9] });
    expect(diffVersions(history, 8, 8)).toEqual({ ok: false, missing: [8] });
  });
});
