import { readFileSync } from 'node:fs';
import { expect } from 'vitest';
import { APPROVE, SETTING, setWriteBackApplied, UPDATE_SETTING } from '../api/governance-operations.js';
import type { Harness } from '../support/harness.js';

// One pending change of every kind, proposed over the API by the people who would propose it, for the console's
// end-to-end tests: the console then renders what the gateway stored (and masks), never a hand-written fixture.

const DENNIS = '0ac13d55-d566-450a-aea0-f6a71f1ad73b'; // acme, cardiology (the embedded FHIR seed)

export type Kind = 'setting' | 'listSetting' | 'assignment' | 'accessRequest' | 'refund' | 'medication' | 'policy' | 'resume' | 'connector';

type Body = { data?: Record<string, unknown> | null; errors?: { message: string }[] };

function data<T>(r: { body: Body }): T {
  expect(r.body.errors ?? []).toEqual([]);
  return r.body.data as T;
}

const changeId = (d: Record<string, unknown>): string => {
  const v = Object.values(d)[0] as { changeRequest?: { id: string }; changeRequestId?: string };
  return v.changeRequest?.id ?? v.changeRequestId ?? '';
};

const UPDATE = 'mutation($i: UpdateSettingInput!) { updateSetting(input: $i) { status changeRequest { id } } }';

/** Proposes one change of the kind and returns its id. */
export async function propose(h: Harness, kind: Kind): Promise<string> {
  const eng = await h.token({ sub: 'eng-fix', roles: ['integration-engineer'], mfa: true });
  const sec = await h.token({ sub: 'sec-fix', roles: ['security-admin'], mfa: true });
  switch (kind) {
    case 'setting':
      return changeId(
        data(
          await h.gql(eng, UPDATE, {
            i: { key: 'integration.ehr.writeBackEnabled', environment: 'PRODUCTION', value: true, reason: 'Go-live', ticket: 'CHG-1' },
          }),
        ),
      );
    case 'listSetting':
      return changeId(
        data(
          await h.gql(await h.token({ sub: 'ops-oz', roles: ['ops-manager'], mfa: true }), UPDATE, {
            i: { key: 'messaging.channels', environment: 'PRODUCTION', value: ['email'], reason: 'SMS vendor contract ended' },
          }),
        ),
      );
    case 'connector':
      return changeId(
        data(
          await h.gql(eng, UPDATE, {
            i: { key: 'integration.ehr.scopes', environment: 'PRODUCTION', value: ['system/Patient.r'], reason: 'Least privilege' },
          }),
        ),
      );
    case 'assignment':
      return changeId(
        data(
          await h.gql(
            sec,
            'mutation { assignRole(input: { assignee: "ops-olu", assignedRole: "ops-manager", reason: "Covers the night shift" }) { ' +
            'status changeRequest { id } } }',
          ),
        ),
      );
    case 'accessRequest': {
      const eng2 = await h.token({ sub: 'eng-ana', roles: ['integration-engineer'], mfa: true });
      return changeId(
        data(
          await h.gql(
            eng2,
            'mutation { requestAccess(input: { requestedRole: "clinical-admin", justification: "Cover for the medical director", ' +
            'durationMinutes: 60 }) { status changeRequest { id } } }',
          ),
        ),
      );
    }
    case 'refund': {
      const bill = await h.token({ sub: 'bill-lee', roles: ['billing-manager'] });
      const inv = data<{ patient: { invoices: { id: string; status: string }[] } }>(
        await h.gql(bill, 'query($id: ID!) { patient(id: $id) { invoices { id status } } }', { id: DENNIS }),
      );
      const invoiceId = inv.patient.invoices.find((i) => i.status === 'issued')!.id;
      return changeId(
        data(
          await h.gql(
            bill,
            'mutation($i: ID!) { issueRefund(invoiceId: $i, amount: 500, reason: "Duplicate charge") { status changeRequestId } }',
            { i: invoiceId },
          ),
        ),
      );
    }
    case 'medication': {
      // An agent proposes a write only while write-back is open (the gate closes proposals as it closes the write): open
      // in production for the proposal, then closed again with the connector's scopes as they were, so the other
      // fixtures (a writeBackEnabled change, a scopes change) find production as a fresh gateway has it.
      const scopes = data<{ setting: { value: string[] } }>(
        await h.gql(eng, SETTING, { key: 'integration.ehr.scopes', environment: 'PRODUCTION' }),
      ).setting.value;
      await setWriteBackApplied(h, true, 'acme', 'PRODUCTION');
      const agent = await h.token({ sub: 'triage-bot', roles: ['ai-agent'], departments: ['cardiology'], kind: 'agent' });
      const id = changeId(
        data(
          await h.gql(
            agent,
            'mutation($p: ID!, $i: ProposeMedicationRequestInput!) { proposeMedicationRequest(patientId: $p, input: $i) { status ' +
            'changeRequestId } }',
            {
              p: DENNIS,
              i: { idempotencyKey: `med-${Date.now()}`, medication: 'Lisinopril 10 MG Oral Tablet', dosage: 'once daily' },
            },
          ),
        ),
      );
      await setWriteBackApplied(h, false, 'acme', 'PRODUCTION');
      const restore = data<{ updateSetting: { changeRequest: { id: string } } }>(
        await h.gql(eng, UPDATE_SETTING, {
          input: { key: 'integration.ehr.scopes', environment: 'PRODUCTION', value: scopes, reason: 'back to read-only' },
        }),
      ).updateSetting.changeRequest.id;
      for (const approver of [await h.token({ sub: 'eng-fix-2', roles: ['integration-engineer'], mfa: true }), sec]) {
        data(await h.gql(approver, APPROVE, { id: restore }));
      }
      return id;
    }
    case 'policy': {
      const doc = JSON.parse(readFileSync(new URL('../../rules/default-policy.json', import.meta.url), 'utf8')) as {
        version: string;
        roles: Record<string, { permissions: { dataClasses: string[] }[] }>;
      };
      doc.version = '2026-12-01.1';
      for (const p of doc.roles.nurse!.permissions) p.dataClasses = p.dataClasses.filter((c) => c !== 'observations');
      return changeId(
        data(
          await h.gql(
            sec,
            'mutation ($d: JSON!) { proposePolicy(document: $d, reason: "Observations move to the clinical team", ticket: "POL-7") { ' +
            'status changeRequest { id } } }',
            { d: doc },
          ),
        ),
      );
    }
    case 'resume': {
      data(
        await h.gql(
          sec,
          'mutation { emergencyStop(target: "connector:ehr", environment: PRODUCTION, reason: "duplicate notes") { stopped } }',
        ),
      );
      return changeId(
        data(
          await h.gql(
            eng,
            'mutation { resume(target: "connector:ehr", environment: PRODUCTION, reason: "Fixed the retry loop", ticket: "INC-9") { ' +
            'status changeRequest { id } } }',
          ),
        ),
      );
    }
  }
}
