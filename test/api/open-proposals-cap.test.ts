import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, type Harness } from '../support/harness.js';
import { actors, CANCEL, ok, refused, UPDATE_SETTING, type ChangeResult } from './governance-operations.js';

// Issue 17: MAX_OPEN_PROPOSALS_PER_REQUESTER, applied. Two gateways: with the cap at 2 a requester's third open
// proposal is refused over HTTP (CONFLICT TOO_MANY_OPEN_PROPOSALS, with how many are open and how to withdraw) and
// nothing is queued; the default (100) takes it. Withdrawing one makes room; replacing one is never "one more".

let capped: Harness;
let lax: Harness;
beforeAll(async () => {
  capped = await startHarness({ env: { MAX_OPEN_PROPOSALS_PER_REQUESTER: '2' } });
  lax = await startHarness();
}, 60_000);
afterAll(async () => {
  await capped.stop();
  await lax.stop();
});

const VALUES: Record<string, unknown> = {
  'ai.model': { provider: 'default', model: 'clinical-assistant-v9', temperature: 0.1 },
  'ai.safetyThreshold': { threshold: 0.9 },
  'ai.guardrails': { blockedTopics: [], requireCitations: true, redactPhiInLogs: true, maxOutputTokens: 512 },
};

async function propose(h: Harness, token: string, key: string, value = VALUES[key]) {
  return h.gql<{ updateSetting: ChangeResult }>(token, UPDATE_SETTING, { input: { key, environment: 'PRODUCTION', value, reason: 'cap' } });
}

describe('MAX_OPEN_PROPOSALS_PER_REQUESTER', () => {
  it('refuses the third open proposal at 2, takes it at the default; withdrawing or replacing makes no extra', async () => {
    const who = { ca: { roles: ['clinical-admin'], mfa: true } };
    const [c, l] = [await actors(capped, who), await actors(lax, who)];
    const first = ok(await propose(capped, c.ca, 'ai.model')).updateSetting.changeRequest;
    const second = ok(await propose(capped, c.ca, 'ai.safetyThreshold')).updateSetting.changeRequest;
    const e = refused(await propose(capped, c.ca, 'ai.guardrails'), 'CONFLICT', 'TOO_MANY_OPEN_PROPOSALS');
    expect(e.message).toMatch(/you have 2 open proposals \(at most 2 per requester\): withdraw one with cancelChange/);
    // A new proposal on a target the requester has open replaces it: not one more.
    const other = { provider: 'default', model: 'clinical-assistant-v10', temperature: 0.1 };
    expect(ok(await propose(capped, c.ca, 'ai.model', other)).updateSetting.status).toBe('PENDING_APPROVAL');
    refused(await capped.gql(c.ca, CANCEL, { id: first.id }), 'CONFLICT', 'NOT_PENDING');
    refused(await propose(capped, c.ca, 'ai.guardrails'), 'CONFLICT', 'TOO_MANY_OPEN_PROPOSALS');
    // Withdrawn, one makes room.
    ok(await capped.gql(c.ca, CANCEL, { id: second.id }));
    expect(ok(await propose(capped, c.ca, 'ai.guardrails')).updateSetting.status).toBe('PENDING_APPROVAL');

    for (const key of Object.keys(VALUES)) expect(ok(await propose(lax, l.ca, key)).updateSetting.status).toBe('PENDING_APPROVAL');
  });
});
