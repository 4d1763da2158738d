import { describe, expect, it } from 'vitest';
import { parseSmartScope } from '../../spec/smart-scopes.js';

// SMART App Launch v2 scope syntax (https://hl7.org/fhir/smart-app-launch/scopes-and-launch-context.html), the one
// grammar every layer reads scopes with. What a scope allows is rules/ (test/rules/smart-scopes.test.ts).

const norm = (s: ReturnType<typeof parseSmartScope>) => (s ? { ...s, interactions: [...s.interactions].sort().join('') } : null);
const sorted = (letters: string) => [...letters].sort().join('');

/** The grammar said another way: the expected reading of `<context>/<resource>.<permissions>`, or null. */
function expected(context: string, resource: string, perms: string): { context: string; resource: string; interactions: string } | null {
  if (!['patient', 'user', 'system'].includes(context)) return null;
  if (resource !== '*' && !(resource.length >= 2 && /[A-Z]/.test(resource[0]!) && [...resource].every((ch) => /[A-Za-z]/.test(ch)))) {
    return null;
  }
  const v1: Record<string, string> = { '*': 'cruds', read: 'rs', write: 'cud' };
  let interactions = v1[perms];
  if (interactions === undefined) {
    // v2: a non-empty subset of c, r, u, d, s written in that order, each at most once.
    const order = 'cruds';
    let at = 0;
    for (const ch of perms) {
      const i = order.indexOf(ch, at);
      if (i < 0) return null;
      at = i + 1;
    }
    if (perms === '') return null;
    interactions = perms;
  }
  return { context, resource, interactions: sorted(interactions) };
}

describe('SMART scope syntax', () => {
  it.each([
    ['user/Observation.rs', 'user', 'Observation', 'rs'],
    ['system/*.cruds', 'system', '*', 'cruds'],
    ['user/Patient.read', 'user', 'Patient', 'rs'],
    ['user/Patient.*', 'user', 'Patient', 'cruds'],
    ['user/Condition.write', 'user', 'Condition', 'cud'],
    ['patient/Patient.r', 'patient', 'Patient', 'r'],
  ])('parses %s', (scope, context, resource, perms) => {
    const s = parseSmartScope(scope);
    expect(s).toMatchObject({ context, resource });
    expect(sorted([...s!.interactions].join(''))).toBe(sorted(perms));
  });

  const ignored = ['openid', 'user/observation.rs', 'user/Observation.', 'user/Observation.x', 'admin/*.*', 'launch/patient'];
  it.each(ignored)('ignores %s', (s) => {
    expect(parseSmartScope(s)).toBeNull();
  });

  it('reads every context, resource and permission string as the grammar says', () => {
    const contexts = ['patient', 'user', 'system', 'launch', 'admin', 'User', ''];
    const resources = ['*', 'Patient', 'MedicationRequest', 'patient', 'Pa1', 'P', '', '**'];
    const letters = ['c', 'r', 'u', 'd', 's'];
    const subsets = Array.from({ length: 32 }, (_, n) => letters.filter((_l, i) => n & (1 << i)).join(''));
    const perms = ['*', 'read', 'write', '', 'x', 'READ', ...subsets];
    perms.push('rc', 'sr', 'cruds*', 'rr');
    let read = 0;
    for (const c of contexts) {
      for (const r of resources) {
        for (const p of perms) {
          const scope = `${c}/${r}.${p}`;
          expect(norm(parseSmartScope(scope)), scope).toEqual(expected(c, r, p));
          if (parseSmartScope(scope)) read++;
        }
      }
    }
    expect(read).toBeGreaterThan(100);
  });

  it.each(['openid', 'launch/patient', 'fhirUser', 'user/Patient.rs ', ' user/Patient.rs', 'user/Patient.rs?x=1'])(
    'is not a resource scope: %j',
    (scope) => expect(parseSmartScope(scope)).toBeNull(),
  );
});
