import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DENNIS } from '../connectors/ehr/helpers.js';
import { startHarness, type Harness } from '../support/harness.js';
import { UPDATE_SETTING, ok, refused, type ChangeResult } from './governance-operations.js';

// routeInboundMessage and messageQueues over HTTP: the governed routing and emergency rules as a table, the queue
// counts (FHIR Communications in the tenant's server) moving with it, and a routing change applying to the next message.

const GLORIA = '7aa15a43-3a41-4d3d-a9c5-7ef941757531'; // Spanish-speaking
const ROUTE = `mutation($p: ID!, $t: String!) { routeInboundMessage(patientId: $p, text: $t) { queue rule emergency action matched ` +
  `withinOfficeHours communicationId } }`;
const QUEUES = `{ messageQueues { queue count } }`;

type Route = { queue: string; rule: string; emergency: boolean; action: string | null; matched: string | null; communicationId: string };

let h: Harness;
let nurse: string;

beforeAll(async () => {
  h = await startHarness({ env: { GATEWAY_ENVIRONMENT: 'STAGING' } });
  nurse = await h.token({ sub: 'rn-rosa', roles: ['nurse'], departments: ['cardiology'] });
}, 60_000);
afterAll(() => h.stop());

const route = async (p: string, t: string) => ok<{ routeInboundMessage: Route }>(await h.gql(nurse, ROUTE, { p, t })).routeInboundMessage;
const queues = async () =>
  Object.fromEntries(
    ok<{ messageQueues: { queue: string; count: number }[] }>(await h.gql(nurse, QUEUES)).messageQueues.map((q) => [q.queue, q.count]),
  );

describe('routeInboundMessage', () => {
  it.each([
    ['I need a refill of my lisinopril', 'nurse-triage', 'triage:clinical', false],
    ['Question about my last BILL', 'billing', 'routing[1]', false],
    ['I have chest pain since this morning', 'on-call', 'emergency[0]', true],
    ['chest pain when I pay my bill', 'on-call', 'emergency[0]', true],
    ['Can I move my appointment to Friday?', 'front-desk', 'default', false],
  ])('%s -> %s (%s)', async (text, queue, rule, emergency) => {
    const r = await route(DENNIS, text);
    expect(r).toMatchObject({ queue, rule, emergency });
    if (emergency) expect(r.action).toBe('advise-emergency-services');
    const c = await h.running.fhir!.repository('acme').readResource('Communication', r.communicationId);
    expect(c).toMatchObject({
      status: 'in-progress',
      sender: { reference: `Patient/${DENNIS}` },
      priority: emergency ? 'stat' : 'routine',
    });
  });

  it('counts waiting messages per queue', async () => {
    expect(await queues()).toEqual({ 'on-call': 2, 'nurse-triage': 1, 'front-desk': 1, billing: 1 });
  });

  it('obeys a governed routing change on the next message, including language rules', async () => {
    const ops = await h.token({ sub: 'ops-olga', roles: ['ops-manager'] });
    const rules = [
      { match: { language: 'es' }, queue: 'front-desk' },
      { match: { keywords: ['renew', 'renovar'] }, queue: 'nurse-triage' },
    ];
    const set = ok<{ updateSetting: ChangeResult }>(
      await h.gql(ops, UPDATE_SETTING, { input: { key: 'messaging.routingRules', environment: 'STAGING', value: rules } }),
    );
    expect(set.updateSetting.status).toBe('APPLIED');
    expect(await route(GLORIA, 'necesito renovar mi tarjeta')).toMatchObject({ queue: 'front-desk', rule: 'routing[0]' });
    expect(await route(DENNIS, 'renew my parking pass')).toMatchObject({ queue: 'nurse-triage', rule: 'routing[1]' });
    // Clinical content is nurse triage whatever the routing rules say.
    expect(await route(GLORIA, 'tengo fiebre')).toMatchObject({ queue: 'nurse-triage', rule: 'triage:clinical' });
    expect(await route(DENNIS, 'my bill is wrong')).toMatchObject({ queue: 'front-desk', rule: 'default' });
    expect(await route(GLORIA, 'chest pain')).toMatchObject({ queue: 'on-call', rule: 'emergency[0]' });
    expect(await route(GLORIA, 'tengo dolor en el pecho')).toMatchObject({
      queue: 'on-call',
      rule: 'triage:chest-pain',
      action: 'advise-emergency-services',
    });
  });

  it('refuses roles without messaging and empty text', async () => {
    const bill = await h.token({ sub: 'bill-lee', roles: ['billing-manager'] });
    refused(await h.gql(bill, ROUTE, { p: DENNIS, t: 'hello' }), 'FORBIDDEN');
    refused(await h.gql(bill, QUEUES), 'FORBIDDEN');
    refused(await h.gql(nurse, ROUTE, { p: DENNIS, t: '   ' }), 'BAD_USER_INPUT');
  });
});
