import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/config/config.js';
import { ParseError } from '../../src/errors/parse-error.js';
import { DEFAULT_APPROVAL_RULES, parseApprovalRules } from '../../src/governance/approval-rules.js';
import { parseChangeRequest } from '../../src/governance/change-request.js';

// One parse/validation error for every document the gateway reads: its configuration, a stored change request,
// approval rules. Each reports every problem at once, each with its path, and says which document was wrong.

function caught(fn: () => unknown): ParseError {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(ParseError);
    return e as ParseError;
  }
  throw new Error('expected a ParseError');
}

describe('ParseError', () => {
  it('is what the configuration, a stored change request and approval rules throw, naming the document', () => {
    const config = caught(() => parseConfig({ MAX_DEPTH: 'abc', MAX_TOKENS: '-1' }, []));
    const change = caught(() => parseChangeRequest({ status: 'PENDING', id: 7 }));
    const rules = caught(() => parseApprovalRules({ ...DEFAULT_APPROVAL_RULES, requirements: null }));
    expect([config.document, change.document, rules.document]).toEqual(['configuration', 'change request', 'approval rules']);
    for (const e of [config, change, rules]) {
      expect(e.name).toBe('ParseError');
      expect(e.message).toMatch(new RegExp(`^Invalid ${e.document} \\(${e.problems.length} problems?\\):\\n`));
      for (const problem of e.problems) expect(e.message).toContain(`\n  - ${problem}`);
      expect(Object.isFrozen(e.problems)).toBe(true);
    }
    expect(config.problems.map((p) => p.split(':')[0]).sort()).toEqual(['MAX_DEPTH', 'MAX_TOKENS']);
    expect(rules.problems).toEqual([expect.stringMatching(/^requirements: /)]);
    expect(change.problems.length).toBeGreaterThan(1);
  });

  it('says "(root)" when the document itself is not an object', () => {
    expect(caught(() => parseApprovalRules('nope')).problems).toEqual([expect.stringMatching(/^\(root\): /)]);
  });
});
