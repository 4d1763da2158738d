import { graphql } from './gql';

// Every operation the console sends, typed by graphql-codegen's client preset (console/codegen.ts) from the
// gateway's SDL. The console talks to nothing but /graphql with the user's bearer token.

export const MeQuery = graphql(`
  query ConsoleMe {
    me { sub tenant roles departments mfa }
  }
`);

export const InboxQuery = graphql(`
  query ConsoleInbox($status: ChangeStatus, $environment: Environment, $category: SettingCategory, $actionable: Boolean) {
    changeRequests(status: $status, environment: $environment, category: $category, actionable: $actionable, first: 50) {
      ...ConsoleInboxFields
    }
  }
`);

/** @public Spread into the inbox query above; codegen reads the fragment from here. */
export const InboxFields = graphql(`
  fragment ConsoleInboxFields on ChangeRequest {
    id status environment category risk key targetType targetKey stopTarget reason ticket before after
    requester { sub roles }
    approvalStatus { summary }
    viewerCanApprove viewerCannotApproveReason
    createdAt expiresAt
  }
`);

/** @public Spread into the change queries below; codegen reads the fragment from here. */
export const ChangeFields = graphql(`
  fragment ConsoleChangeFields on ChangeRequest {
    id status environment category ownerFunction risk key targetType targetKey stopTarget reason ticket baseVersion
    origin { type toVersion fromEnvironment fromVersion }
    before after
    diff { path op before after }
    requester { sub roles functions kind }
    requirement { requiredApprovals distinctFunctions ownerFunctionRequired mfaRequired requiredFunction }
    approverFunctions
    approvals { sub roleUsed functions mfa comment at }
    approvalStatus { satisfied remaining stillNeededFrom summary }
    viewerCanApprove viewerCannotApproveReason viewerCannotApproveCode viewerCanReject
    createdAt expiresAt updatedAt appliedVersion appliedAt
    rejection { sub functions reason at }
    cancellation { sub at }
    superseded { currentVersion at replacedBy }
    expiredAt failureReason textsWithheld
  }
`);

export const ChangeQuery = graphql(`
  query ConsoleChange($id: ID!) {
    changeRequest(id: $id) { ...ConsoleChangeFields }
  }
`);

/** For people without configuration read (clinicians): the change as one of the caller's actionable ones. */
export const ActionableChangesQuery = graphql(`
  query ConsoleActionable($after: String) {
    changeRequestsConnection(actionable: true, first: 5, after: $after) {
      edges { node { ...ConsoleChangeFields } }
      pageInfo { hasNextPage endCursor }
    }
  }
`);

/** An AI agent's medication proposal is approved by a clinician through its own mutation (no configuration read). */
export const ApproveMedicationMutation = graphql(`
  mutation ConsoleApproveMedication($id: ID!, $comment: String) {
    approveMedicationProposal(changeId: $id, comment: $comment) { status changeRequestId }
  }
`);

export const CancelMutation = graphql(`
  mutation ConsoleCancel($id: ID!) {
    cancelChange(id: $id) { id status }
  }
`);

/** Live: every change of the tenant as it moves (configuration readers). */
export const ChangeEventsSubscription = graphql(`
  subscription ConsoleChangeEvents {
    changeEvents { kind changeId approvals at actionable }
  }
`);

/** Live: the changes the caller can act on (anyone, clinicians included). */
export const ActionableChangesSubscription = graphql(`
  subscription ConsoleActionableChanges {
    actionableChanges { kind changeId approvals at actionable }
  }
`);

export const ApproveMutation = graphql(`
  mutation ConsoleApprove($id: ID!, $comment: String) {
    approveChange(id: $id, comment: $comment) { id status approvalStatus { summary } }
  }
`);

export const RejectMutation = graphql(`
  mutation ConsoleReject($id: ID!, $reason: String!) {
    rejectChange(id: $id, reason: $reason) { id status }
  }
`);

export const SettingsQuery = graphql(`
  query ConsoleSettings($environment: Environment!) {
    settingsCatalog(environment: $environment) {
      key environment category description value version ownerFunction ownerRole risk
      canEdit requiresApproval lockedReason status
      approvalPath { summary }
      pendingChange { id }
    }
  }
`);

export const UpdateSettingMutation = graphql(`
  mutation ConsoleUpdateSetting($input: UpdateSettingInput!) {
    updateSetting(input: $input) {
      status version
      changeRequest { id status approvalStatus { summary } }
    }
  }
`);

export const RequestAccessMutation = graphql(`
  mutation ConsoleRequestAccess($input: RequestAccessInput!) {
    requestAccess(input: $input) {
      status
      changeRequest { id status approvalStatus { summary } }
    }
  }
`);

export const AuditAccessQuery = graphql(`
  query ConsoleAuditAccess {
    explainField(type: "Query", field: "auditEvents") { decision message }
  }
`);

export const AuditEventsQuery = graphql(`
  query ConsoleAuditEvents($filter: AuditEventFilter, $first: Int, $after: String) {
    auditEvents(filter: $filter, first: $first, after: $after) {
      edges {
        cursor
        node {
          id seq category action at outcome
          actor { sub kind roles }
          patientId dataClasses fields changeId environment target status reason ticket
        }
      }
      pageInfo { hasNextPage endCursor }
    }
  }
`);

export const AuditVerifyQuery = graphql(`
  query ConsoleAuditVerify {
    auditVerify { ok records firstSeq headSeq checkpointsVerified problem seq message }
  }
`);
