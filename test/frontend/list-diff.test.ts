import { describe, expect, it } from 'vitest';
import { canonical, listDiff } from '../../console/src/list-diff.js';

// The console's list diff (console/src/list-diff.ts): by identity, never by position.

/** Every way of removing one item from a list of three: the one removed is named, nothing else. */
describe('listDiff', () => {
  const base = ['sms', 'email', 'push'];
  it.each(base.map((_, i) => i))('removing the item at position %i names only that item', (i) => {
    const after = base.filter((_, j) => j !== i);
    expect(listDiff(base, after)).toEqual({ added: [], removed: [base[i]], kept: after });
  });

  it.each(base.map((_, i) => i))('adding an item at position %i names only that item', (i) => {
    const after = [...base.slice(0, i), 'fax', ...base.slice(i)];
    expect(listDiff(base, after)).toEqual({ added: ['fax'], removed: [], kept: base });
  });

  it('every reordering of a list is no change', () => {
    const orders = [[0, 1, 2], [0, 2, 1], [1, 0, 2], [1, 2, 0], [2, 0, 1], [2, 1, 0]];
    for (const o of orders) {
      const d = listDiff(base, o.map((i) => base[i]!));
      expect([d.added, d.removed]).toEqual([[], []]);
    }
  });

  it('the issue case: [sms, email] to [email] is "sms removed", not "sms -> email, email removed"', () => {
    expect(listDiff(['sms', 'email'], ['email'])).toEqual({ added: [], removed: ['sms'], kept: ['email'] });
  });

  it('duplicates count: one of two equal items removed is one removal', () => {
    expect(listDiff(['a', 'a', 'b'], ['a', 'b'])).toEqual({ added: [], removed: ['a'], kept: ['a', 'b'] });
  });

  it('objects are the same item by id, by name, or else by their content whatever the key order', () => {
    expect(listDiff([{ id: 'x', v: 1 }], [{ id: 'x', v: 2 }]).kept).toEqual([{ id: 'x', v: 2 }]);
    expect(listDiff([{ name: 'nurse', a: 1 }], [{ name: 'nurse', a: 2 }]).removed).toEqual([]);
    expect(listDiff([{ a: 1, b: 2 }], [{ b: 2, a: 1 }]).added).toEqual([]);
    expect(listDiff([{ a: 1 }], [{ a: 2 }])).toEqual({ added: [{ a: 2 }], removed: [{ a: 1 }], kept: [] });
  });

  it('canonical JSON sorts keys at every depth', () => {
    expect(canonical({ b: [{ d: 1, c: 2 }], a: null })).toBe('{"a":null,"b":[{"c":2,"d":1}]}');
  });
});
