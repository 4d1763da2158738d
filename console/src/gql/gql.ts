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
    "\n  fragment ConsoleInboxFields on ChangeRequest {\n    id status environment category risk key targetType targetKey stopTarget reason ticket before after\n    requester { sub roles }\n    approvalStatus { summary }\n    viewerCanApprove viewerCannotApproveReason\n    createdAt expiresAt\n  }\n": typeof types.ConsoleInboxFieldsFragmentDoc,
    "\n  fragment ConsoleChangeFields on ChangeRequest {\n    id status environment category ownerFunction risk key targetType targetKey stopTarget reason ticket baseVersion\n    origin { type toVersion fromEnvironment fromVersion }\n    before after\n    diff { path op before after }\n    requester { sub roles functions kind }\n    requirement { requiredApprovals distinctFunctions ownerFunctionRequired mfaRequired requiredFunction }\n    approverFunctions\n    approvals { sub roleUsed functions mfa comment at }\n    approvalStatus { satisfied remaining stillNeededFrom summary }\n    viewerCanApprove viewerCannotApproveReason viewerCannotApproveCode viewerCanReject\n    createdAt expiresAt updatedAt appliedVersion appliedAt\n    rejection { sub functions reason at }\n    cancellation { sub at }\n    superseded { currentVersion at replacedBy }\n    expiredAt failureReason textsWithheld\n  }\n": typeof types.ConsoleChangeFieldsFragmentDoc,
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
    "\n  query ConsoleExplain($action: String!, $environment: Environment) {\n    explain(action: $action, environment: $environment) { action decision message reason }\n  }\n": typeof types.ConsoleExplainDocument,
    "\n  query ConsoleStopStates($environment: Environment!) {\n    stopStates(environment: $environment) {\n      target environment stopped reason stoppedBy stoppedAt version\n      pendingResume { id status approvalStatus { summary } }\n    }\n  }\n": typeof types.ConsoleStopStatesDocument,
    "\n  mutation ConsoleEmergencyStop($target: String!, $environment: Environment!, $reason: String!) {\n    emergencyStop(target: $target, environment: $environment, reason: $reason) { target stopped version }\n  }\n": typeof types.ConsoleEmergencyStopDocument,
    "\n  mutation ConsoleResume($target: String!, $environment: Environment!, $reason: String, $ticket: String) {\n    resume(target: $target, environment: $environment, reason: $reason, ticket: $ticket) {\n      status changeRequest { id status approvalStatus { summary } }\n    }\n  }\n": typeof types.ConsoleResumeDocument,
    "\n  query ConsoleSettingHistory($key: String!, $environment: Environment!) {\n    setting(key: $key, environment: $environment) { key environment version value risk pendingChange { id status } }\n    settingHistory(key: $key, environment: $environment) { version value changedBy changeId at reason }\n  }\n": typeof types.ConsoleSettingHistoryDocument,
    "\n  query ConsoleSettingDiff($key: String!, $environment: Environment!, $from: Int!, $to: Int!) {\n    settingDiff(key: $key, environment: $environment, fromVersion: $from, toVersion: $to) { entries { path op before after } }\n  }\n": typeof types.ConsoleSettingDiffDocument,
    "\n  mutation ConsoleRollbackSetting($key: String!, $environment: Environment!, $toVersion: Int!, $reason: String, $ticket: String) {\n    rollbackSetting(key: $key, environment: $environment, toVersion: $toVersion, reason: $reason, ticket: $ticket) {\n      status version changeRequest { id status approvalStatus { summary } }\n    }\n  }\n": typeof types.ConsoleRollbackSettingDocument,
    "\n  mutation ConsolePromoteSetting($key: String!, $reason: String, $ticket: String) {\n    promoteSetting(key: $key, reason: $reason, ticket: $ticket) {\n      status version changeRequest { id status approvalStatus { summary } }\n    }\n  }\n": typeof types.ConsolePromoteSettingDocument,
    "\n  query ConsoleDeliveryLogAccess {\n    explainField(type: \"Query\", field: \"auditEvents\") { decision message }\n  }\n": typeof types.ConsoleDeliveryLogAccessDocument,
    "\n  query ConsoleDeliveryLog($action: String!, $first: Int, $after: String) {\n    auditEvents(filter: { action: $action }, first: $first, after: $after) {\n      edges { node { id seq action at outcome changeId environment target status detail } }\n      pageInfo { hasNextPage endCursor }\n    }\n  }\n": typeof types.ConsoleDeliveryLogDocument,
    "\n  query ConsoleFieldAccess($type: String!, $field: String!) {\n    explainField(type: $type, field: $field) { decision message }\n  }\n": typeof types.ConsoleFieldAccessDocument,
    "\n  query ConsoleAccessReview($staleDays: Int!) {\n    accessReview(staleDays: $staleDays) {\n      flags lastUsedAt\n      grant { id sub kind name source patientId departments grantedAt expiresAt active reason reviews { by at decision comment } }\n    }\n  }\n": typeof types.ConsoleAccessReviewDocument,
    "\n  mutation ConsoleCompleteReview($assignee: String!, $grantId: ID!, $decision: ReviewDecision!, $comment: String) {\n    completeReview(assignee: $assignee, grantId: $grantId, decision: $decision, comment: $comment) { id active }\n  }\n": typeof types.ConsoleCompleteReviewDocument,
    "\n  query ConsolePolicyVersions {\n    policyVersions { version policyVersion changedBy changeId at }\n  }\n": typeof types.ConsolePolicyVersionsDocument,
    "\n  query ConsolePolicyDiff($from: Int!, $to: Int!) {\n    policyDiff(from: $from, to: $to) { path op before after }\n  }\n": typeof types.ConsolePolicyDiffDocument,
    "\n  query ConsoleConnectors($environment: Environment!) {\n    connectors(environment: $environment) {\n      id environment baseUrl scopes writeBackEnabled stopped\n      credentials { configured clientId method keyId version updatedAt updatedBy }\n    }\n    connectorHealth { connector circuit calls errors errorRate p50LatencyMs lastError lastErrorAt }\n  }\n": typeof types.ConsoleConnectorsDocument,
    "\n  mutation ConsoleTestConnector($id: String!, $environment: Environment!) {\n    testConnector(connectorId: $id, environment: $environment) {\n      reachable authenticated fhirVersion error supportedScopes unsupportedScopes steps { name outcome error }\n    }\n  }\n": typeof types.ConsoleTestConnectorDocument,
    "\n  mutation ConsoleConfigureConnector($input: ConfigureConnectorInput!) {\n    configureConnector(input: $input) { changes { key status changeRequestId } }\n  }\n": typeof types.ConsoleConfigureConnectorDocument,
    "\n  mutation ConsoleGenerateConnectorKey($id: String!, $environment: Environment!, $clientId: String, $reason: String) {\n    generateConnectorKey(connectorId: $id, environment: $environment, clientId: $clientId, reason: $reason) {\n      jwksPath change { key status changeRequestId }\n    }\n  }\n": typeof types.ConsoleGenerateConnectorKeyDocument,
    "\n  mutation ConsoleRotateConnectorSecret($id: String!, $environment: Environment!, $secret: String!, $clientId: String, $reason: String) {\n    rotateConnectorSecret(connectorId: $id, environment: $environment, clientSecret: $secret, clientId: $clientId, reason: $reason) {\n      configured method version change { key status changeRequestId }\n    }\n  }\n": typeof types.ConsoleRotateConnectorSecretDocument,
};
const documents: Documents = {
    "\n  query ConsoleMe {\n    me { sub tenant roles departments mfa }\n  }\n": types.ConsoleMeDocument,
    "\n  query ConsoleInbox($status: ChangeStatus, $environment: Environment, $category: SettingCategory, $actionable: Boolean) {\n    changeRequests(status: $status, environment: $environment, category: $category, actionable: $actionable, first: 50) {\n      ...ConsoleInboxFields\n    }\n  }\n": types.ConsoleInboxDocument,
    "\n  fragment ConsoleInboxFields on ChangeRequest {\n    id status environment category risk key targetType targetKey stopTarget reason ticket before after\n    requester { sub roles }\n    approvalStatus { summary }\n    viewerCanApprove viewerCannotApproveReason\n    createdAt expiresAt\n  }\n": types.ConsoleInboxFieldsFragmentDoc,
    "\n  fragment ConsoleChangeFields on ChangeRequest {\n    id status environment category ownerFunction risk key targetType targetKey stopTarget reason ticket baseVersion\n    origin { type toVersion fromEnvironment fromVersion }\n    before after\n    diff { path op before after }\n    requester { sub roles functions kind }\n    requirement { requiredApprovals distinctFunctions ownerFunctionRequired mfaRequired requiredFunction }\n    approverFunctions\n    approvals { sub roleUsed functions mfa comment at }\n    approvalStatus { satisfied remaining stillNeededFrom summary }\n    viewerCanApprove viewerCannotApproveReason viewerCannotApproveCode viewerCanReject\n    createdAt expiresAt updatedAt appliedVersion appliedAt\n    rejection { sub functions reason at }\n    cancellation { sub at }\n    superseded { currentVersion at replacedBy }\n    expiredAt failureReason textsWithheld\n  }\n": types.ConsoleChangeFieldsFragmentDoc,
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
    "\n  query ConsoleExplain($action: String!, $environment: Environment) {\n    explain(action: $action, environment: $environment) { action decision message reason }\n  }\n": types.ConsoleExplainDocument,
    "\n  query ConsoleStopStates($environment: Environment!) {\n    stopStates(environment: $environment) {\n      target environment stopped reason stoppedBy stoppedAt version\n      pendingResume { id status approvalStatus { summary } }\n    }\n  }\n": types.ConsoleStopStatesDocument,
    "\n  mutation ConsoleEmergencyStop($target: String!, $environment: Environment!, $reason: String!) {\n    emergencyStop(target: $target, environment: $environment, reason: $reason) { target stopped version }\n  }\n": types.ConsoleEmergencyStopDocument,
    "\n  mutation ConsoleResume($target: String!, $environment: Environment!, $reason: String, $ticket: String) {\n    resume(target: $target, environment: $environment, reason: $reason, ticket: $ticket) {\n      status changeRequest { id status approvalStatus { summary } }\n    }\n  }\n": types.ConsoleResumeDocument,
    "\n  query ConsoleSettingHistory($key: String!, $environment: Environment!) {\n    setting(key: $key, environment: $environment) { key environment version value risk pendingChange { id status } }\n    settingHistory(key: $key, environment: $environment) { version value changedBy changeId at reason }\n  }\n": types.ConsoleSettingHistoryDocument,
    "\n  query ConsoleSettingDiff($key: String!, $environment: Environment!, $from: Int!, $to: Int!) {\n    settingDiff(key: $key, environment: $environment, fromVersion: $from, toVersion: $to) { entries { path op before after } }\n  }\n": types.ConsoleSettingDiffDocument,
    "\n  mutation ConsoleRollbackSetting($key: String!, $environment: Environment!, $toVersion: Int!, $reason: String, $ticket: String) {\n    rollbackSetting(key: $key, environment: $environment, toVersion: $toVersion, reason: $reason, ticket: $ticket) {\n      status version changeRequest { id status approvalStatus { summary } }\n    }\n  }\n": types.ConsoleRollbackSettingDocument,
    "\n  mutation ConsolePromoteSetting($key: String!, $reason: String, $ticket: String) {\n    promoteSetting(key: $key, reason: $reason, ticket: $ticket) {\n      status version changeRequest { id status approvalStatus { summary } }\n    }\n  }\n": types.ConsolePromoteSettingDocument,
    "\n  query ConsoleDeliveryLogAccess {\n    explainField(type: \"Query\", field: \"auditEvents\") { decision message }\n  }\n": types.ConsoleDeliveryLogAccessDocument,
    "\n  query ConsoleDeliveryLog($action: String!, $first: Int, $after: String) {\n    auditEvents(filter: { action: $action }, first: $first, after: $after) {\n      edges { node { id seq action at outcome changeId environment target status detail } }\n      pageInfo { hasNextPage endCursor }\n    }\n  }\n": types.ConsoleDeliveryLogDocument,
    "\n  query ConsoleFieldAccess($type: String!, $field: String!) {\n    explainField(type: $type, field: $field) { decision message }\n  }\n": types.ConsoleFieldAccessDocument,
    "\n  query ConsoleAccessReview($staleDays: Int!) {\n    accessReview(staleDays: $staleDays) {\n      flags lastUsedAt\n      grant { id sub kind name source patientId departments grantedAt expiresAt active reason reviews { by at decision comment } }\n    }\n  }\n": types.ConsoleAccessReviewDocument,
    "\n  mutation ConsoleCompleteReview($assignee: String!, $grantId: ID!, $decision: ReviewDecision!, $comment: String) {\n    completeReview(assignee: $assignee, grantId: $grantId, decision: $decision, comment: $comment) { id active }\n  }\n": types.ConsoleCompleteReviewDocument,
    "\n  query ConsolePolicyVersions {\n    policyVersions { version policyVersion changedBy changeId at }\n  }\n": types.ConsolePolicyVersionsDocument,
    "\n  query ConsolePolicyDiff($from: Int!, $to: Int!) {\n    policyDiff(from: $from, to: $to) { path op before after }\n  }\n": types.ConsolePolicyDiffDocument,
    "\n  query ConsoleConnectors($environment: Environment!) {\n    connectors(environment: $environment) {\n      id environment baseUrl scopes writeBackEnabled stopped\n      credentials { configured clientId method keyId version updatedAt updatedBy }\n    }\n    connectorHealth { connector circuit calls errors errorRate p50LatencyMs lastError lastErrorAt }\n  }\n": types.ConsoleConnectorsDocument,
    "\n  mutation ConsoleTestConnector($id: String!, $environment: Environment!) {\n    testConnector(connectorId: $id, environment: $environment) {\n      reachable authenticated fhirVersion error supportedScopes unsupportedScopes steps { name outcome error }\n    }\n  }\n": types.ConsoleTestConnectorDocument,
    "\n  mutation ConsoleConfigureConnector($input: ConfigureConnectorInput!) {\n    configureConnector(input: $input) { changes { key status changeRequestId } }\n  }\n": types.ConsoleConfigureConnectorDocument,
    "\n  mutation ConsoleGenerateConnectorKey($id: String!, $environment: Environment!, $clientId: String, $reason: String) {\n    generateConnectorKey(connectorId: $id, environment: $environment, clientId: $clientId, reason: $reason) {\n      jwksPath change { key status changeRequestId }\n    }\n  }\n": types.ConsoleGenerateConnectorKeyDocument,
    "\n  mutation ConsoleRotateConnectorSecret($id: String!, $environment: Environment!, $secret: String!, $clientId: String, $reason: String) {\n    rotateConnectorSecret(connectorId: $id, environment: $environment, clientSecret: $secret, clientId: $clientId, reason: $reason) {\n      configured method version change { key status changeRequestId }\n    }\n  }\n": types.ConsoleRotateConnectorSecretDocument,
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
export function graphql(source: "\n  fragment ConsoleInboxFields on ChangeRequest {\n    id status environment category risk key targetType targetKey stopTarget reason ticket before after\n    requester { sub roles }\n    approvalStatus { summary }\n    viewerCanApprove viewerCannotApproveReason\n    createdAt expiresAt\n  }\n"): typeof import('./graphql').ConsoleInboxFieldsFragmentDoc;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment ConsoleChangeFields on ChangeRequest {\n    id status environment category ownerFunction risk key targetType targetKey stopTarget reason ticket baseVersion\n    origin { type toVersion fromEnvironment fromVersion }\n    before after\n    diff { path op before after }\n    requester { sub roles functions kind }\n    requirement { requiredApprovals distinctFunctions ownerFunctionRequired mfaRequired requiredFunction }\n    approverFunctions\n    approvals { sub roleUsed functions mfa comment at }\n    approvalStatus { satisfied remaining stillNeededFrom summary }\n    viewerCanApprove viewerCannotApproveReason viewerCannotApproveCode viewerCanReject\n    createdAt expiresAt updatedAt appliedVersion appliedAt\n    rejection { sub functions reason at }\n    cancellation { sub at }\n    superseded { currentVersion at replacedBy }\n    expiredAt failureReason textsWithheld\n  }\n"): typeof import('./graphql').ConsoleChangeFieldsFragmentDoc;
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
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query ConsoleExplain($action: String!, $environment: Environment) {\n    explain(action: $action, environment: $environment) { action decision message reason }\n  }\n"): typeof import('./graphql').ConsoleExplainDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query ConsoleStopStates($environment: Environment!) {\n    stopStates(environment: $environment) {\n      target environment stopped reason stoppedBy stoppedAt version\n      pendingResume { id status approvalStatus { summary } }\n    }\n  }\n"): typeof import('./graphql').ConsoleStopStatesDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation ConsoleEmergencyStop($target: String!, $environment: Environment!, $reason: String!) {\n    emergencyStop(target: $target, environment: $environment, reason: $reason) { target stopped version }\n  }\n"): typeof import('./graphql').ConsoleEmergencyStopDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation ConsoleResume($target: String!, $environment: Environment!, $reason: String, $ticket: String) {\n    resume(target: $target, environment: $environment, reason: $reason, ticket: $ticket) {\n      status changeRequest { id status approvalStatus { summary } }\n    }\n  }\n"): typeof import('./graphql').ConsoleResumeDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query ConsoleSettingHistory($key: String!, $environment: Environment!) {\n    setting(key: $key, environment: $environment) { key environment version value risk pendingChange { id status } }\n    settingHistory(key: $key, environment: $environment) { version value changedBy changeId at reason }\n  }\n"): typeof import('./graphql').ConsoleSettingHistoryDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query ConsoleSettingDiff($key: String!, $environment: Environment!, $from: Int!, $to: Int!) {\n    settingDiff(key: $key, environment: $environment, fromVersion: $from, toVersion: $to) { entries { path op before after } }\n  }\n"): typeof import('./graphql').ConsoleSettingDiffDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation ConsoleRollbackSetting($key: String!, $environment: Environment!, $toVersion: Int!, $reason: String, $ticket: String) {\n    rollbackSetting(key: $key, environment: $environment, toVersion: $toVersion, reason: $reason, ticket: $ticket) {\n      status version changeRequest { id status approvalStatus { summary } }\n    }\n  }\n"): typeof import('./graphql').ConsoleRollbackSettingDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation ConsolePromoteSetting($key: String!, $reason: String, $ticket: String) {\n    promoteSetting(key: $key, reason: $reason, ticket: $ticket) {\n      status version changeRequest { id status approvalStatus { summary } }\n    }\n  }\n"): typeof import('./graphql').ConsolePromoteSettingDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query ConsoleDeliveryLogAccess {\n    explainField(type: \"Query\", field: \"auditEvents\") { decision message }\n  }\n"): typeof import('./graphql').ConsoleDeliveryLogAccessDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query ConsoleDeliveryLog($action: String!, $first: Int, $after: String) {\n    auditEvents(filter: { action: $action }, first: $first, after: $after) {\n      edges { node { id seq action at outcome changeId environment target status detail } }\n      pageInfo { hasNextPage endCursor }\n    }\n  }\n"): typeof import('./graphql').ConsoleDeliveryLogDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query ConsoleFieldAccess($type: String!, $field: String!) {\n    explainField(type: $type, field: $field) { decision message }\n  }\n"): typeof import('./graphql').ConsoleFieldAccessDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query ConsoleAccessReview($staleDays: Int!) {\n    accessReview(staleDays: $staleDays) {\n      flags lastUsedAt\n      grant { id sub kind name source patientId departments grantedAt expiresAt active reason reviews { by at decision comment } }\n    }\n  }\n"): typeof import('./graphql').ConsoleAccessReviewDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation ConsoleCompleteReview($assignee: String!, $grantId: ID!, $decision: ReviewDecision!, $comment: String) {\n    completeReview(assignee: $assignee, grantId: $grantId, decision: $decision, comment: $comment) { id active }\n  }\n"): typeof import('./graphql').ConsoleCompleteReviewDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query ConsolePolicyVersions {\n    policyVersions { version policyVersion changedBy changeId at }\n  }\n"): typeof import('./graphql').ConsolePolicyVersionsDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query ConsolePolicyDiff($from: Int!, $to: Int!) {\n    policyDiff(from: $from, to: $to) { path op before after }\n  }\n"): typeof import('./graphql').ConsolePolicyDiffDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query ConsoleConnectors($environment: Environment!) {\n    connectors(environment: $environment) {\n      id environment baseUrl scopes writeBackEnabled stopped\n      credentials { configured clientId method keyId version updatedAt updatedBy }\n    }\n    connectorHealth { connector circuit calls errors errorRate p50LatencyMs lastError lastErrorAt }\n  }\n"): typeof import('./graphql').ConsoleConnectorsDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation ConsoleTestConnector($id: String!, $environment: Environment!) {\n    testConnector(connectorId: $id, environment: $environment) {\n      reachable authenticated fhirVersion error supportedScopes unsupportedScopes steps { name outcome error }\n    }\n  }\n"): typeof import('./graphql').ConsoleTestConnectorDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation ConsoleConfigureConnector($input: ConfigureConnectorInput!) {\n    configureConnector(input: $input) { changes { key status changeRequestId } }\n  }\n"): typeof import('./graphql').ConsoleConfigureConnectorDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation ConsoleGenerateConnectorKey($id: String!, $environment: Environment!, $clientId: String, $reason: String) {\n    generateConnectorKey(connectorId: $id, environment: $environment, clientId: $clientId, reason: $reason) {\n      jwksPath change { key status changeRequestId }\n    }\n  }\n"): typeof import('./graphql').ConsoleGenerateConnectorKeyDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation ConsoleRotateConnectorSecret($id: String!, $environment: Environment!, $secret: String!, $clientId: String, $reason: String) {\n    rotateConnectorSecret(connectorId: $id, environment: $environment, clientSecret: $secret, clientId: $clientId, reason: $reason) {\n      configured method version change { key status changeRequestId }\n    }\n  }\n"): typeof import('./graphql').ConsoleRotateConnectorSecretDocument;


export function graphql(source: string) {
  return (documents as any)[source] ?? {};
}
