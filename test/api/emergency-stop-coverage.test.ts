import type { MedicationRequest } from '@medplum/fhirtypes';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { STOP_TARGET_KINDS } from '../../src/governance/stop-enforcement.js';
import { runOutbox } from '../../src/services/governance/outbox-worker.js';
import { CHET, DENNIS, KARENA } from '../connectors/ehr/helpers.js';
import { startHarness, type Harness } from '../support/harness.js';
import { startMessagePeers, type MessagePeers } from '../support/message-peers.js';
import { agentStoppedDenials } from '../support/audit-events.js';
import {
  actors,
  APPROVE,
  CHANGE_REQUEST,
  EMERGENCY_STOP,
  ok,
  refused,
  RESUME,
  SET_WRITE_BACK,
  UPDATE_SETTING,
  type Change,
  type ChangeResult,
} from './governance-operations.js';

// Issue 13 item 5: every stop target kind against every entry point (PHI reads, writes, proposals, outbox
// execution). The kinds come from the stop policy's exhaustive record, so a new kind fails the first test until
// its row is here. A cell is a probe that stops the target and observes the refusal, or the reason it does not apply.

const READ = `query($id: ID!) { patient(id: $id) { id name } }`;
const NOTE = `mutation($p: ID!, $i: WriteBackNoteInput!) { writeBackNote(patientId: $p, input: $i) { id } }`;
const PROPOSE = `mutation($p: ID!, $i: ProposeMedicationRequestInput!) { proposeMedicationRequest(patientId: $p, input: $i) { status ` +
  `changeRequestId } }`;
const APPROVE_MED = `mutation($id: ID!) { approveMedicationProposal(changeId: $id) { status } }`;
const SEND = `mutation($p: ID!) { sendPatientMessage(patientId: $p, templateId: "lab-results-ready", variables: {name: "D", test: ` +
  `"CBC"}) { status } }`;
const REMIND_KEYED = `mutation($p: ID!, $idempotencyKey: String!) { sendPatientMessage(patientId: $p, templateId: ` +
  `"appointment-reminder", variables: {date: "Monday"}, idempotencyKey: $idempotencyKey) { status } }`;
const ROUTE = 'mutation($p: ID!, $t: String!) { routeInboundMessage(patientId: $p, text: $t) { communicationId } }';
const CLAIM = 'mutation($id: ID!) { claimMessage(id: $id) { status } }';
const REPLY = 'mutation($id: ID!, $t: String!) { replyToMessage(id: $id, text: $t) { status } }';
const RUN_BILLING = `mutation { runBillingAutomation(dryRun: false) { stopped } }`;

let h: Harness;
let t: Record<'sec' | 'eng1' | 'eng2' | 'clin' | 'nurse' | 'desk' | 'bill' | 'gsec' | 'geng1' | 'geng2' | 'gclin', string>;
let peers: MessagePeers;
/** Messages that reached the SMS provider or the SMTP server. */
const sent = () => peers.sms.length + peers.mails.length;
/** The access.denied events an actor's refusals wrote (a FORBIDDEN at admission is a denial like any other). */
const stoppedDenials = (sub: string) => agentStoppedDenials(h.running.audit.rawRecords('acme'), sub);
const med = (key: string) => ({ idempotencyKey: key, medication: 'Lisinopril 10 MG Oral Tablet', dosage: 'once daily' });
const agent = (sub: string, tenant = 'acme') =>
  h.token({ sub, tenant, roles: ['ai-agent'], departments: ['cardiology', 'oncology', 'primary-care'], kind: 'agent' });

async function stop(token: string, target: string): Promise<void> {
  ok(await h.gql(token, EMERGENCY_STOP, { target, environment: 'STAGING', reason: 'coverage test' }));
}
async function resume(token: string, target: string): Promise<void> {
  const r = ok<{ resume: ChangeResult }>(await h.gql(token, RESUME, { target, environment: 'STAGING', reason: 'coverage test over' }));
  expect(r.resume.status).toBe('APPLIED');
}
async function medications(tenant: string): Promise<number> {
  return (
    (await h.running
      .fhir!.repository(tenant)
      .searchResources({ resourceType: 'MedicationRequest', filters: [], count: 10_000 })) as MedicationRequest[]
  ).length;
}
async function enableWriteBack(eng1: string, eng2: string): Promise<void> {
  const scopes = ['system/DocumentReference.cru', 'system/Observation.cr', 'system/MedicationRequest.cr'];
  ok(
    await h.gql(eng1, UPDATE_SETTING, {
      input: { key: 'integration.ehr.scopes', environment: 'STAGING', reason: 'go-live', value: scopes },
    }),
  );
  const proposed = ok<{ setWriteBack: ChangeResult }>(
    await h.gql(eng1, SET_WRITE_BACK, { connectorId: 'ehr', environment: 'STAGING', enabled: true, reason: 'go-live' }),
  );
  expect(
    ok<{ approveChange: Change }>(await h.gql(eng2, APPROVE, { id: proposed.setWriteBack.changeRequest.id })).approveChange.status,
  ).toBe('APPLIED');
}

beforeAll(async () => {
  // Real message peers: what messaging sends while connector:ehr is stopped is counted, not only what it writes.
  peers = await startMessagePeers();
  h = await startHarness({ env: { GATEWAY_ENVIRONMENT: 'STAGING', SMTP_URL: peers.smtpUrl, SMS_PROVIDER_URL: peers.smsUrl } });
  t = {
    ...(await actors(h, {
      sec: { roles: ['security-admin'] },
      eng1: { roles: ['integration-engineer'] },
      eng2: { roles: ['integration-engineer'] },
      bill: { roles: ['billing-manager'] },
    })),
    ...(await actors(h, {
      gsec: { roles: ['security-admin'], tenant: 'globex' },
      geng1: { roles: ['integration-engineer'], tenant: 'globex' },
      geng2: { roles: ['integration-engineer'], tenant: 'globex' },
    })),
    clin: await h.token({ sub: 'dr-grey', roles: ['clinician'], departments: ['cardiology'] }),
    nurse: await h.token({ sub: 'rn-stop', roles: ['nurse'], departments: ['cardiology'] }),
    gclin: await h.token({
      sub: 'dr-globex',
      tenant: 'globex',
      roles: ['clinician'],
      departments: ['cardiology', 'oncology', 'primary-care'],
    }),
    desk: await h.token({ sub: 'desk-dee', roles: ['front-desk'] }),
  };
  await enableWriteBack(t.eng1, t.eng2);
  await enableWriteBack(t.geng1, t.geng2);
}, 120_000);
afterAll(async () => {
  await h.stop();
  await peers.close();
});

const ENTRY_POINTS = ['phiRead', 'write', 'proposal', 'outbox'] as const;
type Cell = (() => Promise<void>) | string;

const COVERAGE: Record<string, Record<(typeof ENTRY_POINTS)[number], Cell>> = {
  agent: {
    phiRead: async () => {
      const stopped = await agent('bot-read');
      expect(ok(await h.gql(stopped, READ, { id: DENNIS }))).toBeTruthy();
      await stop(t.sec, 'agent:bot-read');
      const r = await h.gql(stopped, READ, { id: DENNIS });
      expect(r.status).toBe(403);
      refused(r, 'FORBIDDEN', 'AGENT_STOPPED');
      expect(await stoppedDenials('bot-read')).toBe(1);
      // Another agent is not stopped.
      expect(ok(await h.gql(await agent('bot-other'), READ, { id: DENNIS }))).toBeTruthy();
    },
    write: async () => {
      await stop(t.sec, 'agent:bot-write');
      refused(
        await h.gql(await agent('bot-write'), NOTE, { p: DENNIS, i: { idempotencyKey: 'stopped-w', title: 'x', text: 'y' } }),
        'FORBIDDEN',
        'AGENT_STOPPED',
      );
      expect(await stoppedDenials('bot-write')).toBe(1);
    },
    proposal: async () => {
      await stop(t.sec, 'agent:bot-propose');
      await stop(t.gsec, 'connector:ehr');
      const before = await medications('acme');
      refused(await h.gql(await agent('bot-propose'), PROPOSE, { p: DENNIS, i: med('stopped-p') }), 'FORBIDDEN', 'AGENT_STOPPED');
      expect(await stoppedDenials('bot-propose')).toBe(1);
      // Nothing was queued, so nothing goes out when a connector resumes.
      await resume(t.gsec, 'connector:ehr');
      expect(await medications('acme')).toBe(before);
    },
    outbox: async () => {
      const bot = await agent('bot-outbox');
      const proposed = ok<{ proposeMedicationRequest: { status: string; changeRequestId: string } }>(
        await h.gql(bot, PROPOSE, { p: CHET, i: med('outbox-1') }),
      ).proposeMedicationRequest;
      expect(proposed.status).toBe('PENDING_APPROVAL');
      await stop(t.sec, 'agent:bot-outbox');
      const before = await medications('acme');
      // Its approval is refused while the agent is stopped (nothing queued for the outbox), as explain says.
      const explained = ok<{ explain: { decision: string; reason: string } }>(
        await h.gql(t.clin, 'query ($a: String!) { explain(action: $a) { decision reason } }', {
          a: `change:approve:${proposed.changeRequestId}`,
        }),
      ).explain;
      expect(explained).toEqual({ decision: 'DENY', reason: 'AGENT_STOPPED' });
      refused(await h.gql(t.clin, APPROVE_MED, { id: proposed.changeRequestId }), 'FORBIDDEN', 'AGENT_STOPPED');
      expect(await medications('acme')).toBe(before);
      const left = ok<{ changeRequest: Change }>(await h.gql(t.sec, CHANGE_REQUEST, { id: proposed.changeRequestId })).changeRequest;
      expect([left.status, left.approvals]).toEqual(['PENDING', []]);
    },
  },
  connector: {
    phiRead:
      'a connector stop halts what the gateway sends to the EHR in its name (writes, proposals executed, Communications); reads for care ' +
      'stay available',
    write: async () => {
      await stop(t.gsec, 'connector:ehr');
      refused(
        await h.gql(t.gclin, NOTE, { p: KARENA, i: { idempotencyKey: 'c-stop-w', title: 'x', text: 'y' } }),
        'FORBIDDEN',
        'CONNECTOR_STOPPED',
      );
      await resume(t.gsec, 'connector:ehr');
    },
    proposal: async () => {
      // A proposal meets the gate its write would meet: refused as a clinician's own write is, nothing queued.
      await stop(t.gsec, 'connector:ehr');
      const before = await medications('globex');
      refused(await h.gql(await agent('bot-conn-p', 'globex'), PROPOSE, { p: KARENA, i: med('conn-p') }), 'FORBIDDEN', 'CONNECTOR_STOPPED');
      await resume(t.gsec, 'connector:ehr');
      expect(await medications('globex')).toBe(before);
    },
    outbox: async () => {
      const bot = await agent('bot-conn', 'globex');
      const proposed = ok<{ proposeMedicationRequest: { changeRequestId: string } }>(
        await h.gql(bot, PROPOSE, { p: KARENA, i: med('conn-1') }),
      ).proposeMedicationRequest;
      await stop(t.gsec, 'connector:ehr');
      const before = await medications('globex');
      // Its approval is refused while stopped (nothing queued for the outbox); after the resume it is approved and written.
      refused(await h.gql(t.gclin, APPROVE_MED, { id: proposed.changeRequestId }), 'FORBIDDEN', 'CONNECTOR_STOPPED');
      expect(await medications('globex')).toBe(before);
      await resume(t.gsec, 'connector:ehr');
      const approved = ok<{ approveMedicationProposal: { status: string } }>(
        await h.gql(t.gclin, APPROVE_MED, { id: proposed.changeRequestId }),
      ).approveMedicationProposal;
      expect(approved.status).toBe('WRITTEN');
      expect(await medications('globex')).toBe(before + 1);
    },
  },
  'automation:billing': {
    phiRead: "billing automation reads nothing on a caller's behalf; its run is its only entry point (write)",
    write: async () => {
      await stop(t.sec, 'automation:billing');
      refused(await h.gql(t.bill, RUN_BILLING), 'CONFLICT', 'STOPPED');
      await resume(t.sec, 'automation:billing');
    },
    proposal: 'the automation proposes no governed change',
    outbox: 'the automation has no outbox effect (its escalations are conditional creates inside the refused run)',
  },
  'automation:messaging': {
    phiRead: "messaging automation reads nothing on a caller's behalf; sending is its entry point (write)",
    write: async () => {
      await stop(t.sec, 'automation:messaging');
      refused(await h.gql(t.desk, SEND, { p: DENNIS }), 'CONFLICT', 'STOPPED');
      await resume(t.sec, 'automation:messaging');
    },
    proposal: 'messaging proposes no governed change',
    outbox: 'messages are sent at once, never through the outbox',
  },
};

describe('emergency stop coverage', () => {
  it('has a row for every stop target kind and a cell for every entry point', () => {
    expect(Object.keys(COVERAGE).sort()).toEqual([...STOP_TARGET_KINDS].sort());
    for (const row of Object.values(COVERAGE)) expect(Object.keys(row).sort()).toEqual([...ENTRY_POINTS].sort());
  });

  const cells = Object.entries(COVERAGE).flatMap(([kind, row]) => ENTRY_POINTS.map((entry) => [kind, entry, row[entry]] as const));
  it.each(cells)('%s at %s', async (_kind, _entry, cell) => {
    if (typeof cell === 'string') expect(cell.length).toBeGreaterThan(20);
    else await cell();
  });
});

// The finding: a refund was written to the EHR while connector:ehr was stopped (refunds had no cell above). Every
// entry point that writes to the EHR, each with what it answers while the connector is stopped; the upstream writes
// (POST/PUT to the tenant's FHIR server) are counted: none while stopped, and the write goes out after the resume.
const REFUND = 'mutation($i: ID!, $a: Float!) { issueRefund(invoiceId: $i, amount: $a, reason: "stop") { status changeRequestId } }';
const INVOICES = 'query($id: ID!) { patient(id: $id) { invoices { id totalNet refunded } } }';
type Refund = { issueRefund: { status: string; changeRequestId: string } };

describe('every EHR write entry point asks connector:ehr', () => {
  let writes = 0;
  const realFetch = globalThis.fetch;
  beforeAll(() => {
    globalThis.fetch = (input, init) => {
      const url = input instanceof Request ? input.url : String(input);
      const method = (init?.method ?? (input instanceof Request ? input.method : 'GET')).toUpperCase();
      const fhir = h.running.fhir!.baseUrl('acme');
      if (url.startsWith(`${fhir}/`) && !url.startsWith(`${fhir}/auth/`) && method !== 'GET') writes++;
      return realFetch(input, init);
    };
  });
  afterAll(() => {
    globalThis.fetch = realFetch;
  });
  const invoice = async () =>
    ok<{ patient: { invoices: { id: string; totalNet: number; refunded: number }[] } }>(await h.gql(t.bill, INVOICES, { id: DENNIS }))
      .patient.invoices.filter((i) => i.totalNet >= 300)[0]!;
  /** Stops connector:ehr, runs `attempt` and asserts nothing was written upstream; resumes and runs `after`. */
  async function whileStopped(attempt: () => Promise<void>, after: () => Promise<void>): Promise<void> {
    await stop(t.sec, 'connector:ehr');
    const before = writes;
    const messages = sent();
    await attempt();
    expect(writes - before, 'FHIR writes while connector:ehr is stopped').toBe(0);
    // A message goes out only with its Communication: none may leave while that record would be refused.
    expect(sent() - messages, 'messages sent while connector:ehr is stopped').toBe(0);
    await resume(t.sec, 'connector:ehr');
    const resumed = writes;
    await after();
    expect(writes - resumed, 'FHIR writes after the resume').toBeGreaterThan(0);
  }

  const ENTRY: Record<string, () => Promise<void>> = {
    writeBackNote: () =>
      whileStopped(
        async () => {
          refused(
            await h.gql(t.clin, NOTE, { p: DENNIS, i: { idempotencyKey: 'ehr-stop-note', title: 'x', text: 'y' } }),
            'FORBIDDEN',
            'CONNECTOR_STOPPED',
          );
        },
        async () => void ok(await h.gql(t.clin, NOTE, { p: DENNIS, i: { idempotencyKey: 'ehr-stop-note', title: 'x', text: 'y' } })),
      ),
    'issueRefund applied at once': async () => {
      const inv = await invoice();
      await whileStopped(
        async () => {
          refused(await h.gql(t.bill, REFUND, { i: inv.id, a: 1 }), 'CONFLICT', 'STOPPED');
          expect((await invoice()).refunded).toBe(inv.refunded);
        },
        async () => {
          expect(ok<Refund>(await h.gql(t.bill, REFUND, { i: inv.id, a: 1 })).issueRefund.status).toBe('APPLIED');
          expect((await invoice()).refunded).toBeCloseTo(inv.refunded + 1);
        },
      );
    },
    'issueRefund approved, then executed by the outbox': async () => {
      const inv = await invoice();
      const asked = ok<Refund>(await h.gql(t.bill, REFUND, { i: inv.id, a: 150 })).issueRefund;
      expect(asked.status).toBe('PENDING_APPROVAL');
      const fin = await h.token({ sub: 'fin-stop', roles: ['billing-manager'], mfa: true });
      await whileStopped(
        async () => {
          const approved = ok<{ approveChange: Change }>(await h.gql(fin, APPROVE, { id: asked.changeRequestId })).approveChange;
          expect(approved.status).toBe('APPROVED');
          await new Promise((r) => setTimeout(r, 600));
          await runOutbox(h.running.governance);
          expect((await invoice()).refunded).toBe(inv.refunded);
        },
        async () => {
          for (let i = 0; i < 40 && (await invoice()).refunded === inv.refunded; i++) {
            await new Promise((r) => setTimeout(r, 250));
            await runOutbox(h.running.governance);
          }
          expect((await invoice()).refunded).toBeCloseTo(inv.refunded + 150);
        },
      );
    },
    // Messaging records every message as a Communication through the same writer: it is refused before it goes out
    // (the tester's finding: the SMS went, then its record was refused, the key stayed taken and a retry sent again).
    sendPatientMessage: async () => {
      const key = { idempotencyKey: 'ehr-stop-message' };
      await whileStopped(
        async () => void refused(await h.gql(t.desk, REMIND_KEYED, { p: DENNIS, ...key }), 'CONFLICT', 'STOPPED'),
        async () => {
          const messages = sent();
          // The refusal came before sending, so the key is free: the same key now sends, once.
          expect(ok<{ sendPatientMessage: { status: string } }>(await h.gql(t.desk, REMIND_KEYED, { p: DENNIS, ...key }))).toMatchObject({
            sendPatientMessage: { status: 'SENT' },
          });
          expect(sent() - messages).toBe(1);
        },
      );
    },
    replyToMessage: async () => {
      const routed = ok<{ routeInboundMessage: { communicationId: string } }>(
        await h.gql(t.nurse, ROUTE, { p: DENNIS, t: 'my knee is swollen after the run' }),
      ).routeInboundMessage;
      ok(await h.gql(t.nurse, CLAIM, { id: routed.communicationId }));
      const reply = { id: routed.communicationId, t: 'Rest and ice it.' };
      await whileStopped(
        async () => void refused(await h.gql(t.nurse, REPLY, reply), 'CONFLICT', 'STOPPED'),
        async () => {
          const replied = ok<{ replyToMessage: { status: string } }>(await h.gql(t.nurse, REPLY, reply)).replyToMessage;
          expect(replied.status).toBe('SENT');
        },
      );
    },
    runBillingAutomation: async () => {
      await stop(t.sec, 'connector:ehr');
      const before = writes;
      refused(await h.gql(t.bill, RUN_BILLING), 'CONFLICT', 'STOPPED');
      expect(writes - before).toBe(0);
      await resume(t.sec, 'connector:ehr');
      ok(await h.gql(t.bill, RUN_BILLING));
    },
  };
  it.each(Object.entries(ENTRY))('%s', async (_name, cell) => cell(), 60_000);

  it('automation:billing stops the automation, not a manual refund (README: it stops its runs)', async () => {
    await stop(t.sec, 'automation:billing');
    const inv = await invoice();
    expect(ok<Refund>(await h.gql(t.bill, REFUND, { i: inv.id, a: 1 })).issueRefund.status).toBe('APPLIED');
    refused(await h.gql(t.bill, RUN_BILLING), 'CONFLICT', 'STOPPED');
    await resume(t.sec, 'automation:billing');
  });
});
