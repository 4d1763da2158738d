import { describe, expect, it } from 'vitest';
import defaultPolicyJson from '../../rules/default-policy.json' with { type: 'json' };
import { defaultGovernance, defaultPolicy, parseGovernanceSection, PolicyDocumentError } from '../../rules/policy-document.js';
import { DEFAULT_APPROVAL_RULES } from '../../src/governance/approval-rules.js';
import { DEFAULT_STOP_POLICY } from '../../src/governance/emergency-target.js';

// One source of who may propose, approve, stop and assign: rules/default-policy.json. The approval rules and the stop
// policy the gateway decides with are that document's `governance` section, nothing written beside it.

type Lists = Record<string, string[]>;
interface Section {
  approvals: { approverFunctions: Lists; editorRoles: { categories: Lists; settings: Lists } };
  stops: { rules: Record<string, { stopRoles: string[] }> };
}
const section = () => structuredClone(defaultPolicyJson.governance) as unknown as Section;

describe('the policy document is the one source of who may', () => {
  it('approval rules and stop policy are the document section, with the document functions', () => {
    const { approvals, stops } = defaultPolicyJson.governance;
    expect(DEFAULT_APPROVAL_RULES).toEqual({ ...approvals, functions: defaultPolicy().functions });
    expect(DEFAULT_STOP_POLICY).toEqual(stops);
    expect(defaultGovernance()).toBe(defaultGovernance());
    expect(defaultPolicy()).toBe(defaultPolicy());
  });

  it('every place naming a role or a function refuses an unknown one, with its path', () => {
    const cases: [string, (s: Section) => void][] = [
      ['approvals.approverFunctions.integration.1: unknown function "wizards"', (s) =>
        (s.approvals.approverFunctions.integration![1] = 'wizards')],
      ['approvals.editorRoles.categories.access.0: unknown role "wizard"', (s) =>
        (s.approvals.editorRoles.categories.access![0] = 'wizard')],
      ['approvals.editorRoles.settings.ai.model.1: unknown role "wizard"', (s) =>
        (s.approvals.editorRoles.settings['ai.model']![1] = 'wizard')],
      ['stops.rules.agent.stopRoles.0: unknown role "wizard"', (s) => (s.stops.rules.agent!.stopRoles[0] = 'wizard')],
    ];
    for (const [problem, edit] of cases) {
      const s = section();
      edit(s);
      try {
        parseGovernanceSection(s, defaultPolicy());
        expect.unreachable(problem);
      } catch (e) {
        expect(e).toBeInstanceOf(PolicyDocumentError);
        expect((e as PolicyDocumentError).problems).toContain(`governance.${problem}`);
      }
    }
  });

  it('a tenant policy keeps no governance section: approvals and stops stay the gateway document', () => {
    expect(Object.hasOwn(defaultPolicy(), 'governance')).toBe(false);
  });
});
