import { describe, expect, it } from 'vitest';
import defaultPolicyJson from '../../rules/default-policy.json' with { type: 'json' };
import { compilePrincipalPolicy } from '../../rules/decide.js';
import { defaultPolicy, parsePolicyDocument, PolicyDocumentError, RESERVED_NAMES } from '../../rules/policy-document.js';

// Issue 13 item 6: names of Object.prototype members are refused as policy names, and the parsed document's
// name-keyed records have no prototype, so a claimed role or grant of such a name finds nothing.

const kebabReserved = [...RESERVED_NAMES].filter((n) => /^[a-z][a-z0-9-]*$/.test(n));
const clone = () =>
  JSON.parse(JSON.stringify(defaultPolicyJson)) as {
    roles: Record<string, unknown>;
    grants: Record<string, unknown>;
    dataClasses: Record<string, unknown>;
  };

describe('reserved policy names', () => {
  it('covers every member of Object.prototype', () => {
    for (const n of [...Object.getOwnPropertyNames(Object.prototype), 'constructor', '__proto__', 'toString', 'valueOf', 'hasOwnProperty'])
      expect(RESERVED_NAMES.has(n)).toBe(true);
    expect(kebabReserved).toContain('constructor');
  });

  it.each(
    kebabReserved.flatMap((n) => (['roles', 'grants', 'dataClasses'] as const).map((where) => [n, where] as const)),
  )('refuses %s as a name in %s', (n, where) => {
    const doc = clone();
    doc[where][n] = doc[where][Object.keys(doc[where])[0]!];
    expect(() => parsePolicyDocument(doc)).toThrow(PolicyDocumentError);
  });

  it('a parsed document answers nothing for a prototype name', () => {
    const policy = defaultPolicy();
    for (const n of RESERVED_NAMES) {
      expect(policy.roles[n]).toBeUndefined();
      expect(policy.grants[n]).toBeUndefined();
      expect(policy.dataClasses[n]).toBeUndefined();
    }
    const names = [...RESERVED_NAMES];
    const compiled = compilePrincipalPolicy(policy, {
      sub: 'x',
      tenant: 'acme',
      kind: 'user',
      roles: names,
      departments: names,
      grants: names,
      mfa: false,
      scopes: null,
    });
    expect(compiled.permissions).toEqual([]);
    expect(compiled.decide({ action: 'read', dataClass: 'constructor' }).effect).toBe('DENY');
  });
});
