/* eslint-disable */
import * as types from './graphql';



/**
 * Map of all GraphQL operations in the project.
 *
 * This map has several performance disadvantages:
 * 1. It is not tree-shakeable, so it will include all operations in the project.
 * 2. It is not minifiable, so the string of a GraphQL query will be multiple times inside the bundle.
 * 3. It does not support dead code elimination, so it will add unused operations.
 *
 * Therefore it is highly recommended to use the babel or swc plugin for production.
 * Learn more about it here: https://the-guild.dev/graphql/codegen/plugins/presets/preset-client#reducing-bundle-size
 */
type Documents = {
    "\n  query ConsoleMe {\n    me { sub tenant roles departments mfa }\n  }\n": typeof types.ConsoleMeDocument,
    "\n  query ConsoleInbox($status: ChangeStatus, $environment: Environment, $category: SettingCategory, $actionable: Boolean) {\n    changeRequests(status: $status, environment: $environment, category: $category, actionable: $actionable, first: 50) {\n      ...ConsoleInboxFields\n    }\n  }\n": typeof types.ConsoleInboxDocument,
    "\n  fragment ConsoleInboxFields on ChangeRequest {\n    id status environment category risk key target targetType stopTarget reason ticket before after\n    requester { sub roles }\n    approvalStatus { summary }\n    viewerCanApprove viewerCannotApproveReason\n    createdAt expiresAt\n  }\n": typeof types.ConsoleInboxFieldsFragmentDoc,
    "\n  fragment ConsoleChangeFields on ChangeRequest {\n    id status environment category ownerFunction risk key target targetType stopTarget reason ticket baseVersion\n    origin { type toVersion fromEnvironment fromVersion }\n    before after\n    diff { path op before after }\n    requester { sub roles functions kind }\n    requirement { requiredApprovals distinctFunctions ownerFunctionRequired mfaRequired requiredFunction }\n    approverFunctions\n    approvals { sub roleUsed functions mfa comment at }\n    approvalStatus { satisfied remaining stillNeededFrom summary }\n    viewerCanApprove viewerCannotApproveReason viewerCannotApproveCode\n    createdAt expiresAt updatedAt appliedVersion appliedAt\n    rejection { sub functions reason at }\n    cancellation { sub at }\n    superseded { currentVersion at }\n    expiredAt failureReason\n  }\n": typeof types.ConsoleChangeFieldsFragmentDoc,
    "\n  query ConsoleChange($id: ID!) {\n    changeRequest(id: $id) { ...ConsoleChangeFields }\n  }\n": typeof types.ConsoleChangeDocument,
    "\n  query ConsoleActionable($after: String) {\n    changeRequestsConnection(actionable: true, first: 5, after: $after) {\n      edges { node { ...ConsoleChangeFields } }\n      pageInfo { hasNextPage endCursor }\n    }\n  }\n": typeof types.ConsoleActionableDocument,
    "\n  mutation ConsoleApproveMedication($id: ID!, $comment: String) {\n    approveMedicationProposal(changeId: $id, comment: $comment) { status changeRequestId }\n  }\n": typeof types.ConsoleApproveMedicationDocument,
    "\n  mutation ConsoleCancel($id: ID!) {\n    cancelChange(id: $id) { id status }\n  }\n": typeof types.ConsoleCancelDocument,
    "\n  subscription ConsoleChangeEvents {\n    changeEvents { kind changeId approvals at actionable }\n  }\n": typeof types.ConsoleChangeEventsDocument,
    "\n  subscription ConsoleActionableChanges {\n    actionableChanges { kind changeId approvals at actionable }\n  }\n": typeof types.ConsoleActionableChangesDocument,
    "\n  mutation ConsoleApprove($id: ID!, $comment: String) {\n    approveChange(id: $id, comment: $comment) { id status approvalStatus { summary } }\n  }\n": typeof types.ConsoleApproveDocument,
    "\n  mutation ConsoleReject($id: ID!, $reason: String!) {\n    rejectChange(id: $id, reason: $reason) { id status }\n  }\n": typeof types.ConsoleRejectDocument,
    "\n  query ConsoleSettings($environment: Environment!) {\n    settingsCatalog(environment: $environment) {\n      key environment category description value version ownerFunction ownerRole risk\n      canEdit requiresApproval lockedReason status\n      approvalPath { summary }\n      pendingChange { id }\n    }\n  }\n": typeof types.ConsoleSettingsDocument,
    "\n  mutation ConsoleUpdateSetting($input: UpdateSettingInput!) {\n    updateSetting(input: $input) {\n      status version\n      changeRequest { id status approvalStatus { summary } }\n    }\n  }\n": typeof types.ConsoleUpdateSettingDocument,
    "\n  mutation ConsoleRequestAccess($input: RequestAccessInput!) {\n    requestAccess(input: $input) {\n      status\n      changeRequest { id status approvalStatus { summary } }\n    }\n  }\n": typeof types.ConsoleRequestAccessDocument,
    "\n  query ConsoleAuditAccess {\n    explainField(type: \"Query\", field: \"auditEvents\") { decision message }\n  }\n": typeof types.ConsoleAuditAccessDocument,
    "\n  query ConsoleAuditEvents($filter: AuditEventFilter, $first: Int, $after: String) {\n    auditEvents(filter: $filter, first: $first, after: $after) {\n      edges {\n        cursor\n        node {\n          id seq category action at outcome\n          actor { sub kind roles }\n          patientId dataClasses fields changeId environment target status reason ticket\n        }\n      }\n      pageInfo { hasNextPage endCursor }\n    }\n  }\n": typeof types.ConsoleAuditEventsDocument,
    "\n  query ConsoleAuditVerify {\n    auditVerify { ok records firstSeq headSeq checkpointsVerified problem seq message }\n  }\n": typeof types.ConsoleAuditVerifyDocument,
};
const documents: Documents = {
    "\n  query ConsoleMe {\n    me { sub tenant roles departments mfa }\n  }\n": types.ConsoleMeDocument,
    "\n  query ConsoleInbox($status: ChangeStatus, $environment: Environment, $category: SettingCategory, $actionable: Boolean) {\n    changeRequests(status: $status, environment: $environment, category: $category, actionable: $actionable, first: 50) {\n      ...ConsoleInboxFields\n    }\n  }\n": types.ConsoleInboxDocument,
    "\n  fragment ConsoleInboxFields on ChangeRequest {\n    id status environment category risk key target targetType stopTarget reason ticket before after\n    requester { sub roles }\n    approvalStatus { summary }\n    viewerCanApprove viewerCannotApproveReason\n    createdAt expiresAt\n  }\n": types.ConsoleInboxFieldsFragmentDoc,
    "\n  fragment ConsoleChangeFields on ChangeRequest {\n    id status environment category ownerFunction risk key target targetType stopTarget reason ticket baseVersion\n    origin { type toVersion fromEnvironment fromVersion }\n    before after\n    diff { path op before after }\n    requester { sub roles functions kind }\n    requirement { requiredApprovals distinctFunctions ownerFunctionRequired mfaRequired requiredFunction }\n    approverFunctions\n    approvals { sub roleUsed functions mfa comment at }\n    approvalStatus { satisfied remaining stillNeededFrom summary }\n    viewerCanApprove viewerCannotApproveReason viewerCannotApproveCode\n    createdAt expiresAt updatedAt appliedVersion appliedAt\n    rejection { sub functions reason at }\n    cancellation { sub at }\n    superseded { currentVersion at }\n    expiredAt failureReason\n  }\n": types.ConsoleChangeFieldsFragmentDoc,
    "\n  query ConsoleChange($id: ID!) {\n    changeRequest(id: $id) { ...ConsoleChangeFields }\n  }\n": types.ConsoleChangeDocument,
    "\n  query ConsoleActionable($after: String) {\n    changeRequestsConnection(actionable: true, first: 5, after: $after) {\n      edges { node { ...ConsoleChangeFields } }\n      pageInfo { hasNextPage endCursor }\n    }\n  }\n": types.ConsoleActionableDocument,
    "\n  mutation ConsoleApproveMedication($id: ID!, $comment: String) {\n    approveMedicationProposal(changeId: $id, comment: $comment) { status changeRequestId }\n  }\n": types.ConsoleApproveMedicationDocument,
    "\n  mutation ConsoleCancel($id: ID!) {\n    cancelChange(id: $id) { id status }\n  }\n": types.ConsoleCancelDocument,
    "\n  subscription ConsoleChangeEvents {\n    changeEvents { kind changeId approvals at actionable }\n  }\n": types.ConsoleChangeEventsDocument,
    "\n  subscription ConsoleActionableChanges {\n    actionableChanges { kind changeId approvals at actionable }\n  }\n": types.ConsoleActionableChangesDocument,
    "\n  mutation ConsoleApprove($id: ID!, $comment: String) {\n    approveChange(id: $id, comment: $comment) { id status approvalStatus { summary } }\n  }\n": types.ConsoleApproveDocument,
    "\n  mutation ConsoleReject($id: ID!, $reason: String!) {\n    rejectChange(id: $id, reason: $reason) { id status }\n  }\n": types.ConsoleRejectDocument,
    "\n  query ConsoleSettings($environment: Environment!) {\n    settingsCatalog(environment: $environment) {\n      key environment category description value version ownerFunction ownerRole risk\n      canEdit requiresApproval lockedReason status\n      approvalPath { summary }\n      pendingChange { id }\n    }\n  }\n": types.ConsoleSettingsDocument,
    "\n  mutation ConsoleUpdateSetting($input: UpdateSettingInput!) {\n    updateSetting(input: $input) {\n      status version\n      changeRequest { id status approvalStatus { summary } }\n    }\n  }\n": types.ConsoleUpdateSettingDocument,
    "\n  mutation ConsoleRequestAccess($input: RequestAccessInput!) {\n    requestAccess(input: $input) {\n      status\n      changeRequest { id status approvalStatus { summary } }\n    }\n  }\n": types.ConsoleRequestAccessDocument,
    "\n  query ConsoleAuditAccess {\n    explainField(type: \"Query\", field: \"auditEvents\") { decision message }\n  }\n": types.ConsoleAuditAccessDocument,
    "\n  query ConsoleAuditEvents($filter: AuditEventFilter, $first: Int, $after: String) {\n    auditEvents(filter: $filter, first: $first, after: $after) {\n      edges {\n        cursor\n        node {\n          id seq category action at outcome\n          actor { sub kind roles }\n          patientId dataClasses fields changeId environment target status reason ticket\n        }\n      }\n      pageInfo { hasNextPage endCursor }\n    }\n  }\n": types.ConsoleAuditEventsDocument,
    "\n  query ConsoleAuditVerify {\n    auditVerify { ok records firstSeq headSeq checkpointsVerified problem seq message }\n  }\n": types.ConsoleAuditVerifyDocument,
};

/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query ConsoleMe {\n    me { sub tenant roles departments mfa }\n  }\n"): typeof import('./graphql').ConsoleMeDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query ConsoleInbox($status: ChangeStatus, $environment: Environment, $category: SettingCategory, $actionable: Boolean) {\n    changeRequests(status: $status, environment: $environment, category: $category, actionable: $actionable, first: 50) {\n      ...ConsoleInboxFields\n    }\n  }\n"): typeof import('./graphql').ConsoleInboxDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment ConsoleInboxFields on ChangeRequest {\n    id status environment category risk key target targetType stopTarget reason ticket before after\n    requester { sub roles }\n    approvalStatus { summary }\n    viewerCanApprove viewerCannotApproveReason\n    createdAt expiresAt\n  }\n"): typeof import('./graphql').ConsoleInboxFieldsFragmentDoc;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment ConsoleChangeFields on ChangeRequest {\n    id status environment category ownerFunction risk key target targetType stopTarget reason ticket baseVersion\n    origin { type toVersion fromEnvironment fromVersion }\n    before after\n    diff { path op before after }\n    requester { sub roles functions kind }\n    requirement { requiredApprovals distinctFunctions ownerFunctionRequired mfaRequired requiredFunction }\n    approverFunctions\n    approvals { sub roleUsed functions mfa comment at }\n    approvalStatus { satisfied remaining stillNeededFrom summary }\n    viewerCanApprove viewerCannotApproveReason viewerCannotApproveCode\n    createdAt expiresAt updatedAt appliedVersion appliedAt\n    rejection { sub functions reason at }\n    cancellation { sub at }\n    superseded { currentVersion at }\n    expiredAt failureReason\n  }\n"): typeof import('./graphql').ConsoleChangeFieldsFragmentDoc;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query ConsoleChange($id: ID!) {\n    changeRequest(id: $id) { ...ConsoleChangeFields }\n  }\n"): typeof import('./graphql').ConsoleChangeDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query ConsoleActionable($after: String) {\n    changeRequestsConnection(actionable: true, first: 5, after: $after) {\n      edges { node { ...ConsoleChangeFields } }\n      pageInfo { hasNextPage endCursor }\n    }\n  }\n"): typeof import('./graphql').ConsoleActionableDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation ConsoleApproveMedication($id: ID!, $comment: String) {\n    approveMedicationProposal(changeId: $id, comment: $comment) { status changeRequestId }\n  }\n"): typeof import('./graphql').ConsoleApproveMedicationDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation ConsoleCancel($id: ID!) {\n    cancelChange(id: $id) { id status }\n  }\n"): typeof import('./graphql').ConsoleCancelDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  subscription ConsoleChangeEvents {\n    changeEvents { kind changeId approvals at actionable }\n  }\n"): typeof import('./graphql').ConsoleChangeEventsDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  subscription ConsoleActionableChanges {\n    actionableChanges { kind changeId approvals at actionable }\n  }\n"): typeof import('./graphql').ConsoleActionableChangesDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation ConsoleApprove($id: ID!, $comment: String) {\n    approveChange(id: $id, comment: $comment) { id status approvalStatus { summary } }\n  }\n"): typeof import('./graphql').ConsoleApproveDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation ConsoleReject($id: ID!, $reason: String!) {\n    rejectChange(id: $id, reason: $reason) { id status }\n  }\n"): typeof import('./graphql').ConsoleRejectDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query ConsoleSettings($environment: Environment!) {\n    settingsCatalog(environment: $environment) {\n      key environment category description value version ownerFunction ownerRole risk\n      canEdit requiresApproval lockedReason status\n      approvalPath { summary }\n      pendingChange { id }\n    }\n  }\n"): typeof import('./graphql').ConsoleSettingsDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation ConsoleUpdateSetting($input: UpdateSettingInput!) {\n    updateSetting(input: $input) {\n      status version\n      changeRequest { id status approvalStatus { summary } }\n    }\n  }\n"): typeof import('./graphql').ConsoleUpdateSettingDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation ConsoleRequestAccess($input: RequestAccessInput!) {\n    requestAccess(input: $input) {\n      status\n      changeRequest { id status approvalStatus { summary } }\n    }\n  }\n"): typeof import('./graphql').ConsoleRequestAccessDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query ConsoleAuditAccess {\n    explainField(type: \"Query\", field: \"auditEvents\") { decision message }\n  }\n"): typeof import('./graphql').ConsoleAuditAccessDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query ConsoleAuditEvents($filter: AuditEventFilter, $first: Int, $after: String) {\n    auditEvents(filter: $filter, first: $first, after: $after) {\n      edges {\n        cursor\n        node {\n          id seq category action at outcome\n          actor { sub kind roles }\n          patientId dataClasses fields changeId environment target status reason ticket\n        }\n      }\n      pageInfo { hasNextPage endCursor }\n    }\n  }\n"): typeof import('./graphql').ConsoleAuditEventsDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query ConsoleAuditVerify {\n    auditVerify { ok records firstSeq headSeq checkpointsVerified problem seq message }\n  }\n"): typeof import('./graphql').ConsoleAuditVerifyDocument;


export function graphql(source: string) {
  return (documents as any)[source] ?? {};
}
