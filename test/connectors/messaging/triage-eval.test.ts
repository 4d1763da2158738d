import { describe, expect, it } from 'vitest';
import { EVAL_SET_PATH, evaluate, loadSet, report } from '../../../scripts/triage-eval.js';

// The labelled evaluation set in the repository (fixtures/triage/eval-set.json), as `npm run triage:eval` runs it:
// every emergency reaches on-call, at most 5% of the rest pages on-call.

const set = loadSet(EVAL_SET_PATH);
// Evaluated once for both tests below (every message against the whole lexicon: seconds on a loaded machine).
let evaluated: ReturnType<typeof evaluate> | null = null;
const evaluation = () => (evaluated ??= evaluate(set));

describe('triage evaluation set', () => {
  it('has at least 150 labelled messages in English and Spanish, of every kind', () => {
    expect(set.length).toBeGreaterThanOrEqual(150);
    for (const lang of ['en', 'es']) for (const label of ['emergency', 'clinical', 'billing', 'admin']) {
      expect(set.filter((m) => m.lang === lang && m.label === label).length, `${lang} ${label}`).toBeGreaterThan(3);
    }
  });

  it('reaches on-call for every emergency (recall 1.0) with at most 5% false alarms', () => {
    const e = evaluation();
    expect(e.missedEmergencies.map((m) => m.text)).toEqual([]);
    expect(e.recall).toBe(1);
    expect(e.falseAlarmRate).toBeLessThanOrEqual(0.05);
    // Nothing clinical reaches the front desk.
    expect(e.confusion.clinical['front-desk']).toBe(0);
  });

  it('prints recall, the false-alarm rate and the confusion table', () => {
    const text = report(evaluation());
    expect(text).toMatch(/emergency recall: 100\.0%/);
    expect(text).toMatch(/false alarms \(non-emergency paged to on-call\): \d+\.\d%/);
    expect(text).toMatch(/confusion \(rows: label, columns: queue\)\n\s+on-call\s+nurse-triage\s+billing\s+front-desk/);
  });
});
