import { describe, expect, it } from 'vitest';
import { ParseError } from '../../src/errors/parse-error.js';
import {
  approverFunctionsFor, DEFAULT_APPROVAL_RULES, evaluateApprovals, parseApprovalRules, requirementFor, requirementForProposal,
} from '../../src/governance/approval-rules.js';

const rules = parseApprovalRules(DEFAULT_APPROVAL_RULES);
const ctx = (owner: string, approverFunctions: string[]) => ({ ownerFunction: owner, approverFunctions, requesterSub: 'req' });
const a = (sub: string, functions: string[], mfa = true) => ({ sub, functions, mfa });

describe('approval rules document', () => {
  it('the defaults parse and say what the README ("Governed changes") says', () => {
    expect(requirementFor(rules, 'STAGING', 'LOW').requiredApprovals).toBe(0);
    expect(requirementFor(rules, 'STAGING', 'MEDIUM').requiredApprovals).toBe(0);
    expect(requirementFor(rules, 'STAGING', 'HIGH')).toEqual({
      requiredApprovals: 1,
      distinctFunctions: false,
      ownerFunctionRequired: false,
      mfaRequired: false,
    });
    expect(requirementFor(rules, 'PRODUCTION', 'LOW').requiredApprovals).toBe(0);
    expect(requirementFor(rules, 'PRODUCTION', 'MEDIUM').requiredApprovals).toBe(1);
    expect(requirementFor(rules, 'PRODUCTION', 'HIGH')).toEqual({
      requiredApprovals: 2,
      distinctFunctions: true,
      ownerFunctionRequired: true,
      mfaRequired: true,
    });
    expect(requirementFor(rules, 'PRODUCTION', 'CRITICAL')).toMatchObject({ requiredApprovals: 2, requiredFunction: 'security' });
  });

  it('reports every problem of a bad document with its path', () => {
    const doc = structuredClone(DEFAULT_APPROVAL_RULES);
    doc.approverFunctions.integration = ['technical', 'wizards'];
    doc.requirements.PRODUCTION.HIGH = { requiredApprovals: 0, distinctFunctions: true, ownerFunctionRequired: true, mfaRequired: true };
    try {
      parseApprovalRules(doc);
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(ParseError);
      expect((e as ParseError).document).toBe('approval rules');
      expect((e as ParseError).problems).toEqual([
        'approverFunctions.integration.1: unknown function "wizards"',
        'requirements.PRODUCTION.HIGH: a requirement of 0 approvals cannot name functions',
        'requirements.PRODUCTION.HIGH: requiredApprovals is smaller than the functions it names',
      ]);
    }
  });

  it('refuses distinct-function rules that a category cannot meet', () => {
    const doc = structuredClone(DEFAULT_APPROVAL_RULES);
    doc.approverFunctions.integration = ['technical'];
    expect(() => parseApprovalRules(doc)).toThrow(/PRODUCTION HIGH needs 2 distinct functions, integration has 1/);
  });

  it('approver functions: owner first, then the category, then a required function', () => {
    expect(approverFunctionsFor(rules, 'messaging', 'clinical', requirementFor(rules, 'PRODUCTION', 'HIGH'))).toEqual([
      'clinical',
      'operations',
      'security',
    ]);
    expect(approverFunctionsFor(rules, 'billing-automation', 'finance', requirementFor(rules, 'PRODUCTION', 'CRITICAL'))).toEqual([
      'finance',
      'operations',
      'security',
    ]);
    expect(approverFunctionsFor(rules, 'audit', 'security', requirementFor(rules, 'PRODUCTION', 'HIGH'))).not.toContain('compliance');
  });

  it('an agent proposal needs a human approval even where a person would apply at once', () => {
    expect(requirementForProposal(rules, 'PRODUCTION', 'LOW', 'agent')).toMatchObject({
      requiredApprovals: 1,
      ownerFunctionRequired: true,
    });
    expect(requirementForProposal(rules, 'PRODUCTION', 'LOW', 'user').requiredApprovals).toBe(0);
    expect(requirementForProposal({ ...rules, agentProposalsNeedApproval: false }, 'PRODUCTION', 'LOW', 'agent').requiredApprovals).toBe(0);
  });
});

describe('evaluateApprovals', () => {
  const high = requirementFor(rules, 'PRODUCTION', 'HIGH');
  const critical = requirementFor(rules, 'PRODUCTION', 'CRITICAL');
  const clinical = ctx('clinical', ['clinical', 'technical', 'security']);

  it('says what is still needed, in human terms', () => {
    expect(evaluateApprovals(high, clinical, [])).toEqual({
      satisfied: false,
      remaining: 2,
      stillNeededFrom: ['clinical', 'technical', 'security'],
      summary: 'needs 2 more from: clinical or technical or security (each from a different function, with MFA)',
    });
    expect(evaluateApprovals(high, clinical, [a('t', ['technical'])]).summary).toBe('needs 1 more from: clinical (with MFA)');
    expect(evaluateApprovals(high, clinical, [a('c', ['clinical'])]).summary).toBe('needs 1 more from: technical or security (with MFA)');
    expect(evaluateApprovals(high, clinical, [a('c', ['clinical']), a('s', ['security'])])).toEqual({
      satisfied: true,
      remaining: 0,
      stillNeededFrom: [],
      summary: 'approved: 2 of 2',
    });
    expect(evaluateApprovals(requirementFor(rules, 'PRODUCTION', 'LOW'), clinical, []).summary).toBe('no approval needed');
  });

  it('counts an approver with two functions where it helps most, whatever the order', () => {
    const both = a('x', ['clinical', 'security']);
    expect(evaluateApprovals(high, clinical, [both, a('c', ['clinical'])]).satisfied).toBe(true);
    expect(evaluateApprovals(high, clinical, [a('c', ['clinical']), both]).satisfied).toBe(true);
  });

  it('never counts the requester, a duplicate, an approval without MFA or an ineligible function', () => {
    expect(evaluateApprovals(high, clinical, [a('req', ['clinical']), a('s', ['security'])]).remaining).toBe(1);
    expect(evaluateApprovals(high, clinical, [a('c', ['clinical']), a('c', ['security'])]).remaining).toBe(1);
    expect(evaluateApprovals(high, clinical, [a('c', ['clinical']), a('s', ['security'], false)]).remaining).toBe(1);
    expect(evaluateApprovals(high, clinical, [a('c', ['clinical']), a('f', ['finance'])]).remaining).toBe(1);
  });

  it('CRITICAL: owner plus security', () => {
    const policy = ctx('security', ['security', 'technical']);
    expect(evaluateApprovals(critical, policy, [a('t', ['technical'])]).summary).toBe('needs 1 more from: security (with MFA)');
    const billing = ctx('finance', ['finance', 'operations', 'security']);
    expect(evaluateApprovals(critical, billing, [a('o', ['operations'])]).remaining).toBe(2);
    expect(evaluateApprovals(critical, billing, [a('f', ['finance']), a('s', ['security'])]).satisfied).toBe(true);
  });
});
