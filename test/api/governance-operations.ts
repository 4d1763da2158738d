import { expect } from 'vitest';
import type { GqlResponse, Harness } from '../support/harness.js';

// Operations and helpers shared by test/api/governance-*.test.ts: the governed-change API over real HTTP.

const CHANGE = /* GraphQL */ `
  fragment Change on ChangeRequest {
    id status environment category ownerFunction risk target targetType key stopTarget
    origin { type toVersion fromEnvironment fromVersion }
    requester { sub roles functions kind }
    reason ticket baseVersion before after
    diff { path op before after }
    requirement { requiredApprovals distinctFunctions ownerFunctionRequired mfaRequired requiredFunction }
    approverFunctions
    approvals { sub roleUsed functions mfa comment at }
    approvalStatus { satisfied remaining stillNeededFrom summary }
    viewerCanApprove viewerCannotApproveReason viewerCannotApproveCode
    createdAt expiresAt updatedAt approvedAt appliedVersion appliedAt
    rejection { sub functions reason at }
    cancellation { sub at }
    superseded { currentVersion at replacedBy }
    expiredAt failureReason failedAt
  }
`;

const RESULT = `status version setting { key environment value version updatedBy pendingChange { id } } stopState { target stopped ` +
  `version } changeRequest { ...Change }`;

export const UPDATE_SETTING = `${CHANGE}
  mutation($input: UpdateSettingInput!) { updateSetting(input: $input) { ${RESULT} } }`;

export const SET_WRITE_BACK = `${CHANGE}
  mutation($connectorId: String!, $environment: Environment!, $enabled: Boolean!, $reason: String, $ticket: String) {
    setWriteBack(connectorId: $connectorId, environment: $environment, enabled: $enabled, reason: $reason, ticket: $ticket) { ${RESULT} }
  }`;

export const ROLLBACK = `${CHANGE}
  mutation($key: String!, $environment: Environment!, $toVersion: Int!, $reason: String) {
    rollbackSetting(key: $key, environment: $environment, toVersion: $toVersion, reason: $reason) { ${RESULT} }
  }`;

export const PROMOTE = `${CHANGE}
  mutation($key: String!, $reason: String, $ticket: String) { promoteSetting(key: $key, reason: $reason, ticket: $ticket) { ${RESULT} } }`;

export const RESUME = `${CHANGE}
  mutation($target: String!, $environment: Environment!, $reason: String, $ticket: String) {
    resume(target: $target, environment: $environment, reason: $reason, ticket: $ticket) { ${RESULT} }
  }`;

export const APPROVE = `${CHANGE}
  mutation($id: ID!, $comment: String) { approveChange(id: $id, comment: $comment) { ...Change } }`;

export const REJECT = `${CHANGE}
  mutation($id: ID!, $reason: String!) { rejectChange(id: $id, reason: $reason) { ...Change } }`;

export const CANCEL = `${CHANGE}
  mutation($id: ID!) { cancelChange(id: $id) { ...Change } }`;

export const CHANGE_REQUEST = `${CHANGE}
  query($id: ID!) { changeRequest(id: $id) { ...Change } }`;

export const SETTING = `${CHANGE}
  query($key: String!, $environment: Environment!) {
    setting(key: $key, environment: $environment) {
      key environment category ownerFunction risk description value version updatedAt updatedBy
      pendingChange { ...Change }
      pendingChanges { id }
    }
  }`;

export const HISTORY = `
  query($key: String!, $environment: Environment!) {
    settingHistory(key: $key, environment: $environment) { key environment version value changedBy changeId at reason }
  }`;

export const EMERGENCY_STOP = `
  mutation($target: String!, $environment: Environment!, $reason: String!) {
    emergencyStop(target: $target, environment: $environment, reason: $reason) { target environment stopped reason stoppedBy stoppedAt ` +
      `version }
  }`;

export type Change = {
  id: string;
  status: string;
  environment: string;
  category: string;
  risk: string;
  target: string;
  key: string | null;
  diff: { path: string; op: string; before: unknown; after: unknown }[];
  approvals: { sub: string; roleUsed: string; functions: string[]; mfa: boolean; comment: string | null }[];
  approvalStatus: { satisfied: boolean; remaining: number; stillNeededFrom: string[]; summary: string };
  viewerCanApprove: boolean;
  viewerCannotApproveReason: string | null;
  viewerCannotApproveCode: string | null;
  appliedVersion: number | null;
  [field: string]: unknown;
};

export type ChangeResult = {
  status: 'APPLIED' | 'PENDING_APPROVAL';
  version: number | null;
  setting: {
    key: string;
    environment: string;
    value: unknown;
    version: number;
    updatedBy: string | null;
    pendingChange: { id: string } | null;
  } | null;
  stopState: { target: string; stopped: boolean; version: number } | null;
  changeRequest: Change;
};

type Body = GqlResponse['body'];

/** The data of a response that must have no errors. */
export function ok<D>(r: GqlResponse<D>): D {
  expect(r.body.errors, JSON.stringify(r.body.errors)).toBeUndefined();
  expect(r.status).toBe(200);
  return r.body.data as D;
}

/** The one error of a response, which must carry `code` (and `reason` when given); the field it hit is null. */
export function refused(r: { body: Body }, code: string, reason?: string): NonNullable<Body['errors']>[number] {
  const errors = r.body.errors ?? [];
  expect(errors, JSON.stringify(r.body)).toHaveLength(1);
  const error = errors[0]!;
  expect(error.extensions?.code, JSON.stringify(error)).toBe(code);
  if (reason !== undefined) expect(error.extensions?.reason, JSON.stringify(error)).toBe(reason);
  const field = error.path?.[0];
  if (typeof field === 'string') expect(r.body.data?.[field] ?? null).toBeNull();
  return error;
}

/** Mints one token per named actor: `{ eng1: { roles: [...], mfa: true } }`; sub is the actor's name. */
export async function actors<N extends string>(
  h: Harness,
  specs: Record<N, { roles: string[]; mfa?: boolean; tenant?: string; scope?: string }>,
): Promise<Record<N, string>> {
  const out = {} as Record<N, string>;
  for (const [name, spec] of Object.entries(specs) as [N, { roles: string[]; mfa?: boolean; tenant?: string; scope?: string }][]) {
    out[name] = await h.token({ sub: name, ...spec });
  }
  return out;
}

/**
 * A standing role assignment, applied through its approvals (two security admins, then the role's owner function
 * where the rules ask for it): makes `assignee` a person the gateway knows, before they ever call it.
 */
export async function assignRoleApplied(h: Harness, assignee: string, role: string, owner: string): Promise<void> {
  const sec = (sub: string) => h.token({ sub, roles: ['security-admin'], mfa: true });
  const assigned = ok(
    await h.gql<{ assignRole: { status: string; changeRequest: { id: string } } }>(
      await sec('sec-a'),
      `mutation { assignRole(input: { assignee: "${assignee}", assignedRole: "${role}", reason: "second approver" }) { status ` +
      `changeRequest { id } } }`,
    ),
  );
  let status = assigned.assignRole.status;
  for (const approver of [await sec('sec-b'), await h.token({ sub: owner, roles: [role], mfa: true })]) {
    if (status !== 'APPLIED') {
      const approved = ok(
        await h.gql<{ approveChange: { status: string } }>(approver, 'mutation ($id: ID!) { approveChange(id: $id) { status } }', {
          id: assigned.assignRole.changeRequest.id,
        }),
      );
      status = approved.approveChange.status;
    }
  }
  expect(status).toBe('APPLIED');
}

/**
 * EHR write-back of an environment opened (the connector's scopes for notes, observations and medication requests,
 * then writeBackEnabled) or closed, each through its approvals: an integration engineer proposes, another approves,
 * and where the change needs a second function (PRODUCTION), a security admin; all with MFA.
 */
export async function setWriteBackApplied(h: Harness, enabled: boolean, tenant = 'acme', environment = 'STAGING'): Promise<void> {
  const user = (sub: string, role: string) => h.token({ sub, roles: [role], tenant, mfa: true });
  const [eng1, approvers] = [
    await user('wb-eng-1', 'integration-engineer'),
    [await user('wb-eng-2', 'integration-engineer'), await user('wb-sec', 'security-admin')],
  ];
  const applied = async (result: ChangeResult) => {
    let status: string = result.status;
    for (const approver of approvers) {
      if (status === 'APPLIED') break;
      status = ok<{ approveChange: Change }>(await h.gql(approver, APPROVE, { id: result.changeRequest.id })).approveChange.status;
    }
    return status === 'APPLIED';
  };
  if (enabled) {
    const scopes = ['system/DocumentReference.cru', 'system/Observation.cr', 'system/MedicationRequest.cr'];
    const input = { key: 'integration.ehr.scopes', environment, reason: 'write-back go-live', value: scopes };
    const r = await h.gql<{ updateSetting: ChangeResult }>(eng1, UPDATE_SETTING, { input });
    // Already set: nothing to change.
    if (r.body.errors?.[0]?.extensions?.reason !== 'NO_CHANGE') expect(await applied(ok(r).updateSetting)).toBe(true);
  }
  const vars = { connectorId: 'ehr', environment, enabled, reason: enabled ? 'go-live' : 'pause write-back' };
  expect(await applied(ok<{ setWriteBack: ChangeResult }>(await h.gql(eng1, SET_WRITE_BACK, vars)).setWriteBack)).toBe(true);
}
