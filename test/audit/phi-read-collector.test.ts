import { describe, expect, it } from 'vitest';
import { PhiReadCollector } from '../../src/audit/phi-read-collector.js';
import { readPair, readSlot } from '../../src/audit/read-slots.js';

// The collector keeps reads as bit masks (src/audit/read-slots.ts); what it reports must be exactly the set of
// (patient, data class, field) triples recorded, however they were interleaved and however many there were.

const CTX = { tenant: 'acme', actor: { sub: 'u' }, operation: 'Q', requestId: 'r', at: '2026-11-22T00:00:00.000Z' } as const;

/** The reference: the same triples kept in plain sets. */
function expected(triples: readonly [string, string, string][]) {
  const by = new Map<string, { classes: Set<string>; fields: Set<string> }>();
  for (const [p, c, f] of triples) {
    const e = by.get(p) ?? { classes: new Set(), fields: new Set() };
    e.classes.add(c);
    e.fields.add(f);
    by.set(p, e);
  }
  return new Map([...by].map(([p, e]) => [p, { dataClasses: [...e.classes].sort(), fields: [...e.fields].sort() }]));
}

function collect(triples: readonly [string, string, string][]) {
  const c = new PhiReadCollector();
  for (const [p, cls, f] of triples) c.record(p, readSlot(cls, f));
  return c;
}

describe('PhiReadCollector', () => {
  it('interns each (data class, field) pair once', () => {
    const a = readSlot('demographics', 'Patient.name');
    expect(readSlot('demographics', 'Patient.name')).toBe(a);
    expect(readSlot('contact', 'Patient.name')).not.toBe(a);
    expect(readPair(a)).toEqual({ dataClass: 'demographics', field: 'Patient.name' });
    expect(() => readPair(1e9)).toThrow(/unknown read slot/);
  });

  it('reports exactly the recorded triples, rows interleaved and beyond 31 distinct pairs per request', () => {
    // 40 distinct fields (more than one mask word), three patients, a seeded shuffle so rows interleave.
    const triples: [string, string, string][] = [];
    for (let i = 0; i < 40; i++) {
      triples.push(['p1', i % 3 === 0 ? 'clinical' : 'demographics', `T.f${i}`]);
      if (i % 2 === 0) triples.push(['p2', 'clinical', `T.f${i}`]);
    }
    triples.push(['p3', 'sensitive', 'Condition.code'], ['p1', 'demographics', 'T.f0'], ['p2', 'clinical', 'T.f0']);
    let seed = 7;
    const shuffled = [...triples].sort(() => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31) - 0.5);
    const c = collect(shuffled);
    const want = expected(triples);
    expect(c.size).toBe(3);
    const events = c.events(CTX);
    expect(new Map(events.map((e) => [e.patientId, { dataClasses: e.dataClasses, fields: e.fields }]))).toEqual(want);
    // The block says the same, grouped.
    const block = c.block(CTX);
    const fromBlock = new Map(
      block.groups.flatMap((g) => g.patients.map((p) => [p, { dataClasses: g.dataClasses, fields: g.fields }] as const)),
    );
    expect(fromBlock).toEqual(want);
    expect(block.groups.flatMap((g) => g.patients).sort()).toEqual(['p1', 'p2', 'p3']);
  });

  it('decodes each request by its own bit order (the decoding is shared only between requests that number alike)', () => {
    const [a, b, c] = [readSlot('demographics', 'O.a'), readSlot('clinical', 'O.b'), readSlot('contact', 'O.c')];
    // Same masks (bits 0 and 1) over different slots; the same slots in another order; then the first again.
    const cases: [number[], [string, string, string][]][] = [
      [[a, b], [['p', 'demographics', 'O.a'], ['p', 'clinical', 'O.b']]],
      [[c, a], [['p', 'contact', 'O.c'], ['p', 'demographics', 'O.a']]],
      [[b, a], [['p', 'clinical', 'O.b'], ['p', 'demographics', 'O.a']]],
      [[a, c], [['p', 'demographics', 'O.a'], ['p', 'contact', 'O.c']]],
      [[a, b], [['p', 'demographics', 'O.a'], ['p', 'clinical', 'O.b']]],
    ];
    for (const [slots, triples] of cases) {
      const col = new PhiReadCollector();
      for (const slot of slots) col.record('p', slot);
      col.record('q', slots[0]!);
      const groups = col.block(CTX).groups;
      const got = new Map(groups.flatMap((g) => g.patients.map((p) => [p, { dataClasses: g.dataClasses, fields: g.fields }])));
      expect(got.get('p')).toEqual(expected(triples).get('p'));
      expect(got.get('q')).toEqual(expected([triples[0]!].map(([, cl, f]) => ['q', cl, f] as [string, string, string])).get('q'));
    }
  });

  it('recordAll (an admitted row: its slots at once) reports what recording each slot reports, past 31 pairs too', () => {
    // Rows of three patients interleaved with single records; slot arrays reused across rows as admission reuses them;
    // the 40-slot array crosses the first mask word (recorded one by one), the empty one records nothing.
    const small = [readSlot('demographics', 'Patient.id'), readSlot('demographics', 'Patient.name')];
    const wide = Array.from({ length: 40 }, (_, i) => readSlot('clinical', `W.f${i}`));
    const rows: [string, readonly number[]][] = [['p1', small], ['p2', small], ['p1', wide], ['p3', []], ['p2', small], ['p3', wide]];
    const batched = new PhiReadCollector();
    const single = new PhiReadCollector();
    for (const [p, slots] of rows) {
      batched.recordAll(p, slots);
      for (const slot of slots) single.record(p, slot);
      batched.record(p, readSlot('contact', 'Patient.telecom'));
      single.record(p, readSlot('contact', 'Patient.telecom'));
    }
    expect(batched.events(CTX)).toEqual(single.events(CTX));
    expect(batched.block(CTX)).toEqual(single.block(CTX));
    const none = new PhiReadCollector();
    none.recordAll('p9', []);
    expect(none.size).toBe(0);
  });

  it('groups patients that read the same classes and fields, even through different pairs', () => {
    const c = collect([
      ['a', 'demographics', 'Patient.id'], ['a', 'demographics', 'Patient.name'],
      ['b', 'demographics', 'Patient.name'], ['b', 'demographics', 'Patient.id'],
      // c and d read the same classes and fields through crossed pairs: one group, as the audit reader sees it.
      ['c', 'clinical', 'Condition.code'], ['c', 'sensitive', 'Condition.display'],
      ['d', 'sensitive', 'Condition.code'], ['d', 'clinical', 'Condition.display'],
    ]);
    const groups = c.block(CTX).groups.map((g) => ({ ...g, patients: [...g.patients].sort() }));
    expect(groups).toEqual([
      { dataClasses: ['demographics'], fields: ['Patient.id', 'Patient.name'], patients: ['a', 'b'] },
      { dataClasses: ['clinical', 'sensitive'], fields: ['Condition.code', 'Condition.display'], patients: ['c', 'd'] },
    ]);
  });

  it('flags break-glass patients and reports nothing for a request that read no PHI', () => {
    const c = collect([['a', 'demographics', 'Patient.id'], ['b', 'demographics', 'Patient.id']]);
    expect(c.block({ ...CTX, breakGlassPatients: new Set(['b']) }).breakGlass).toEqual(['b']);
    expect(c.events({ ...CTX, breakGlassPatients: new Set(['b']) }).map((e) => [e.patientId, e.breakGlass])).toEqual([
      ['a', false],
      ['b', true],
    ]);
    const empty = new PhiReadCollector();
    expect(empty.size).toBe(0);
    expect(empty.block(CTX).groups).toEqual([]);
  });
});
