import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { defaultPolicy } from '../../rules/policy-document.js';
import type { ChangeEvent } from '../../src/audit/audit-event.js';
import { parseRecord } from '../../src/audit/audit-records.js';
import { AuditService } from '../../src/services/audit/audit-service.js';
import type { Principal } from '../../src/auth/principal.js';
import { DEFAULT_APPROVAL_RULES } from '../../src/governance/approval-rules.js';
import { functionsFromPolicy } from '../../src/governance/functions.js';
import { memoryStores } from '../../src/stores/create-store.js';
import { updateSetting } from '../../src/services/governance/setting-proposals.js';
import { approveChange } from '../../src/services/governance/transition.js';
import type { GovernanceDeps } from '../../src/services/governance/deps.js';
import { KeyedLock } from '../../src/services/governance/keyed-lock.js';

// The headline scenario (EHR write-back in production: two approvers of two functions, MFA, outbox apply), then the
// story told again from nothing but the audit log's records: no change request, no setting history is read.

const who = (sub: string, roles: string[], mfa = false): Principal => ({
  sub,
  tenant: 'acme',
  kind: 'user',
  roles,
  departments: [],
  mfa,
  scopes: null,
  grants: [],
});

/** One line per step, from the events alone. */
function story(events: readonly ChangeEvent[]): string[] {
  return events.map((e) => {
    const step = e.action.replace('change.', '');
    const by = e.actor?.sub ?? 'the gateway';
    switch (e.action) {
      case 'change.proposed':
        return `${by} proposed ${e.target} in ${e.environment} (${e.risk}): ${JSON.stringify(e.before)} -> ${JSON.stringify(e.after)}, ` +
          `reason "${e.reason}", ticket ${e.ticket}; ${e.status}`;
      case 'change.approved': {
        const a = e.approvals.find((x) => x.sub === e.actor?.sub)!;
        return `${a.sub} approved as ${a.roleUsed} for ${a.functions.join('+')}${a.mfa ? ' with MFA' : ''}; ${e.approvals.length} ` +
          `approval(s); ${e.status}`;
      }
      case 'change.applied':
        return `${by} applied ${e.target}: ${JSON.stringify(e.before)} -> ${JSON.stringify(e.after)} as version ` +
          `${String(e.detail.version)}; ${e.status}`;
      default:
        return `${by} ${step}; ${e.status}`;
    }
  });
}

describe('audit trail of a governed change', () => {
  it('A governed change\'s audit trail reconstructs its full story (request, each approval with approver and function, apply with ' +
    'before/after) from the log alone', async () => {
    const stores = memoryStores();
    const store = stores.governance;
    const applied: string[] = [];
    const svc: GovernanceDeps = {
      store,
      rules: DEFAULT_APPROVAL_RULES,
      functionsOf: functionsFromPolicy(defaultPolicy()),
      now: () => Date.now(),
      newId: () => randomUUID(),
      locks: new KeyedLock(),
      connectorEffects: async (e) => void applied.push(e.idempotencyKey),
    };
    const r = await updateSetting(svc, who('eng-1', ['integration-engineer']), {
      key: 'integration.ehr.writeBackEnabled',
      environment: 'PRODUCTION',
      value: true,
      reason: 'go-live',
      ticket: 'CHG-1',
    });
    await expect(approveChange(svc, who('eng-1', ['integration-engineer'], true), r.change.id)).rejects.toMatchObject({
      extensions: { reason: 'SELF_APPROVAL' },
    });
    await approveChange(svc, who('eng-2', ['integration-engineer'], true), r.change.id, 'reviewed mapping');
    await approveChange(svc, who('sec-1', ['security-admin'], true), r.change.id);
    expect(applied).toHaveLength(1);

    // From here on only the audit log is read.
    const audit = new AuditService({ stores, hmacKey: 'k', now: () => Date.now() });
    expect(await audit.verify('acme')).toMatchObject({ ok: true });
    const events: ChangeEvent[] = [];
    for await (const raw of audit.rawRecords('acme')) {
      for (const e of parseRecord(raw)!.events) if (e.category === 'change' && e.changeId === r.change.id) events.push(e);
    }
    expect(story(events)).toEqual([
      'eng-1 proposed setting:integration.ehr.writeBackEnabled in PRODUCTION (HIGH): false -> true, reason "go-live", ticket CHG-1; ' +
      'PENDING',
      'eng-2 approved as integration-engineer for technical with MFA; 1 approval(s); PENDING',
      'sec-1 approved as security-admin for security with MFA; 2 approval(s); APPROVED',
      'the gateway applied setting:integration.ehr.writeBackEnabled: false -> true as version 1; APPLIED',
    ]);
    // The refused self-approval changed nothing, so it wrote no event; the approval comment is in the trail.
    expect(events[1]!.approvals[0]).toMatchObject({ sub: 'eng-2', comment: 'reviewed mapping' });
    // In the log's order, which is the order things happened.
    expect(events.map((e) => e.at)).toEqual(events.map((e) => e.at).sort());
  });
});
