// Which rule guards each field of each object type. Kept as data beside the policy: the shield tree is generated
// from it, and test/rules/field-coverage.test.ts fails when a schema field has no entry here (or an entry names a
// field that no longer exists). Rules sit on concrete types only: graphql-shield ignores interface keys.

export type FieldRule =
  /** Any verified principal: the field is about the caller or structural. */
  | { readonly kind: 'authenticated' }
  /**
   * Read of a data class. `row`: decided against the parent row's facts (tenant, departments, sensitivity), so the
   * same field is guarded the same way whichever path reached it. `sensitiveAware`: a sensitive row also needs
   * `sensitive` (every field of it, its id included: the row is withheld whole). `mask`: returned masked to the last
   * four unless the caller also reads this data class for the row (identifiers).
   */
  | { readonly kind: 'read'; readonly dataClass: string; readonly row: boolean; readonly sensitiveAware?: boolean; readonly mask?: string }
  /**
   * A value object with no guard of its own, reachable only through the listed fields, which carry the rule.
   * test/rules/field-coverage.test.ts proves no other field returns the type.
   */
  | { readonly kind: 'inherit'; readonly reachedFrom: readonly string[] };

const authenticated: FieldRule = { kind: 'authenticated' };
const read = (dataClass: string, row = true): FieldRule => ({ kind: 'read', dataClass, row });
/** A field of a row of the patient's record (not the Patient itself): a sensitive row needs the sensitive grant. */
const readRecord = (dataClass: string): FieldRule => ({ kind: 'read', dataClass, row: true, sensitiveAware: true });
const inherit = (...reachedFrom: string[]): FieldRule => ({ kind: 'inherit', reachedFrom });
const all = (fields: readonly string[], rule: FieldRule) => Object.fromEntries(fields.map((f) => [f, rule]));

export const fieldRules: Readonly<Record<string, Readonly<Record<string, FieldRule>>>> = {
  Query: {
    me: authenticated,
    // Looking a patient up at all needs demographics somewhere in scope: a caller with no patient access gets a
    // denial, not an empty object that would confirm the id exists.
    node: read('demographics', false),
    patient: read('demographics', false),
    patients: read('demographics', false),
    patientStatistics: read('aggregates', false),
    // Settings, change requests and stop states: configuration, never row-scoped (a tenant's configuration is all one
    // record; the service answers only from the caller's tenant).
    ...all(['settings', 'setting', 'settingHistory', 'settingDiff', 'stopStates', 'stopState'], read('configuration', false)),
    // The queue: the resolver asks configuration read, except for `actionable: true`, where each change is one the
    // caller can act on now (src/governance/actionable.ts canActOn, with the target's own right), and `mine: true`
    // (the caller's own requests). One change: configuration read, its requester, or one who can act on it.
    changeRequest: authenticated,
    changeRequests: authenticated,
    changeRequestsConnection: authenticated,
    // The audit log: read-only, the tenant's whole log (never row-scoped). Events carry patient ids and the names of
    // what was read, never PHI values, so no patient row rule applies.
    ...all(['auditEvents', 'auditEventsConnection', 'auditVerify'], read('audit', false)),
    // Explain and the caller's own access: about the caller, so any verified principal (decisions inside use the
    // caller's compiled policy; explain never reveals another tenant's data or another person's grants).
    ...all(['explain', 'explainField', 'myAccess', 'myAccessRequests'], authenticated),
    ...all(['settingsCatalog', 'policyVersions', 'policyDiff'], read('configuration', false)),
    // Someone else's access and the access review: security and compliance (the audit readers).
    ...all(['accessOf', 'accessReview'], read('audit', false)),
    // The message queues: counts only, of the whole tenant.
    messageQueues: read('messaging', false),
    // A queue's items: messaging at all here; the resolver asks rules/decide.ts per item for its text (observations
    // for clinical items) and the patient.
    messageQueue: read('messaging', false),
    // Connector configuration and health: configuration (credentials are never readable, only whether they are set).
    ...all(['connectors', 'connector', 'connectorHealth'], read('configuration', false)),
  },
  // Every governed mutation first needs configuration read (a caller who may not even see settings is FORBIDDEN by the
  // shield, before the resolver runs). Who may propose, approve, reject, cancel or stop is then decided by the
  // governance service, on what is stored, before anything executes; it refuses with FORBIDDEN and a reason.
  Mutation: {
    ...all(['updateSetting', 'setWriteBack', 'rollbackSetting', 'promoteSetting', 'emergencyStop', 'resume'], read('configuration', false)),
    // Deciding a change: configuration readers, and anyone the change itself lets act on it (a clinician on a
    // medication proposal of their department, the requester withdrawing it): the resolver asks canActOn
    // (src/governance/actionable.ts) on the stored change, the one decision of `changeRequests(actionable: true)`.
    // approveMedicationProposal is the same decision (assertMayReach), so the same refusal: no rule of its own before it.
    ...all(['approveChange', 'rejectChange', 'cancelChange', 'approveMedicationProposal'], authenticated),
    // EHR write-back: looking the patient up needs demographics; the resolver then asks rules/decide.ts for `write`
    // (or `propose`) on the data class for the patient's department, and the write-back gate for the connector.
    ...all(['writeBackNote', 'recordObservation', 'proposeMedicationRequest'], read('demographics', false)),
    // Access: assigning, revoking and policy changes are governed like settings (the service decides who may).
    // Asking for access and break-glass are for oneself: any verified principal may ask; the domain decides.
    ...all(['assignRole', 'revokeRole', 'proposePolicy'], read('configuration', false)),
    ...all(['requestAccess', 'breakGlass'], authenticated),
    completeReview: read('audit', false),
    // Messaging: the shield asks for messaging at all; the resolver then asks rules/decide.ts for `write` on
    // `messaging` and `read` on `contact` for the patient's row.
    ...all(['sendPatientMessage', 'routeInboundMessage', 'claimMessage', 'replyToMessage', 'closeMessage'], read('messaging', false)),
    // Billing actions: financial at all; the resolver asks rules/decide.ts for `write` on `financial` for the row.
    ...all(['issueRefund', 'runBillingAutomation'], read('financial', false)),
    // Connector configuration: settings are governed changes (governance decides who proposes and approves);
    // credentials need `write` on `credentials`, asked by the resolver. testConnector calls only the governed URL.
    ...all(['configureConnector', 'rotateConnectorSecret', 'generateConnectorKey', 'testConnector'], read('configuration', false)),
  },
  Connector: all(
    ['id', 'environment', 'baseUrl', 'scopes', 'writeBackEnabled', 'writeBackMappings', 'credentials', 'stopped'],
    inherit('Query.connectors', 'Query.connector', 'ConfigureConnectorResult.connector'),
  ),
  ConnectorCredentials: all(
    ['configured', 'clientId', 'method', 'keyId', 'version', 'updatedAt', 'updatedBy', 'change'],
    inherit('Connector.credentials', 'Mutation.rotateConnectorSecret', 'ConnectorKeyResult.credentials'),
  ),
  ConnectorKeyResult: all(['credentials', 'change', 'jwks', 'jwksPath'], inherit('Mutation.generateConnectorKey')),
  ConfigureConnectorResult: all(['connector', 'changes', 'credentialsChanged'], inherit('Mutation.configureConnector')),
  ConnectorSettingChange: all(
    ['key', 'status', 'changeRequestId'],
    inherit('ConfigureConnectorResult.changes', 'ConnectorCredentials.change', 'ConnectorKeyResult.change'),
  ),
  ConnectorTest: all(
    [
      'connectorId',
      'environment',
      'reachable',
      'fhirVersion',
      'software',
      'authenticated',
      'steps',
      'supportedScopes',
      'unsupportedScopes',
      'error',
    ],
    inherit('Mutation.testConnector'),
  ),
  ConnectorTestStep: all(['name', 'outcome', 'error'], inherit('ConnectorTest.steps')),
  ConnectorHealth: all(
    ['connector', 'circuit', 'calls', 'errors', 'errorRate', 'p50LatencyMs', 'lastError', 'lastErrorAt'],
    inherit('Query.connectorHealth'),
  ),
  BillingAutomationRun: all(['dryRun', 'stopped', 'environment', 'actions'], inherit('Mutation.runBillingAutomation')),
  BillingAutomationAction: all(
    [
      'kind',
      'patientId',
      'accountId',
      'invoiceId',
      'amount',
      'currency',
      'daysOpen',
      'rule',
      'reminderDay',
      'queue',
      'failedPaymentAttempts',
      'outcome',
      'detail',
    ],
    // A row of a patient's account (its invoice's guard): financial, and a sensitive invoice's needs the grant.
    readRecord('financial'),
  ),
  RefundResult: all(['status', 'changeRequestId', 'invoiceId', 'amount', 'currency', 'threshold'], inherit('Mutation.issueRefund')),
  MessageSendResult: all(
    ['status', 'channel', 'templateId', 'locale', 'communicationId', 'failure'],
    inherit('Mutation.sendPatientMessage', 'Mutation.replyToMessage', 'InboundRoute.emergencyReply'),
  ),
  InboundRoute: all(
    [
      'queue',
      'rule',
      'emergency',
      'action',
      'matched',
      'withinOfficeHours',
      'communicationId',
      'triageLevel',
      'explanation',
      'findings',
      'emergencyReply',
    ],
    inherit('Mutation.routeInboundMessage'),
  ),
  TriageFinding: all(['concept', 'level', 'language', 'term', 'words', 'status', 'cue'], inherit('InboundRoute.findings')),
  MessageQueueCount: all(['queue', 'count', 'slaMinutes'], inherit('Query.messageQueues')),
  // `text` is decided per item in the resolver (rules/decide.ts), the rest comes with the queue.
  MessageQueueItem: all(
    [
      'id',
      'queue',
      'patientId',
      'status',
      'priority',
      'receivedAt',
      'dueAt',
      'overdue',
      'claimedBy',
      'claimedAt',
      'escalationLevel',
      'triageLevel',
      'concept',
      'text',
      'closeReason',
    ],
    inherit('Query.messageQueue', 'Mutation.claimMessage', 'Mutation.closeMessage'),
  ),
  EhrWriteResult: all(
    ['resourceType', 'id', 'versionId', 'created'],
    inherit('Mutation.writeBackNote', 'Mutation.recordObservation', 'MedicationProposalResult.write'),
  ),
  MedicationProposalResult: all(
    ['status', 'changeRequestId', 'write'],
    inherit('Mutation.proposeMedicationRequest', 'Mutation.approveMedicationProposal'),
  ),
  Setting: all(
    [
      'key',
      'environment',
      'category',
      'ownerFunction',
      'risk',
      'description',
      'value',
      'version',
      'updatedAt',
      'updatedBy',
      'pendingChange',
      'pendingChanges',
    ],
    inherit('Query.settings', 'Query.setting', 'ChangeResult.setting'),
  ),
  SettingVersion: all(['key', 'environment', 'version', 'value', 'changedBy', 'changeId', 'at', 'reason'], inherit('Query.settingHistory')),
  SettingDiff: all(['key', 'environment', 'fromVersion', 'toVersion', 'entries'], inherit('Query.settingDiff')),
  DiffEntry: all(['path', 'op', 'before', 'after'], inherit('SettingDiff.entries', 'ChangeRequest.diff', 'Query.policyDiff')),
  EmergencyStop: all(
    ['target', 'environment', 'stopped', 'reason', 'stoppedBy', 'stoppedAt', 'version', 'pendingResume'],
    inherit('Query.stopStates', 'Query.stopState', 'Mutation.emergencyStop', 'ChangeResult.stopState'),
  ),
  ChangeResult: all(
    ['status', 'version', 'setting', 'stopState', 'changeRequest'],
    inherit(
      'Mutation.updateSetting',
      'Mutation.setWriteBack',
      'Mutation.rollbackSetting',
      'Mutation.promoteSetting',
      'Mutation.resume',
      'Mutation.assignRole',
      'Mutation.revokeRole',
      'Mutation.requestAccess',
      'Mutation.proposePolicy',
    ),
  ),
  ChangeRequest: all(
    [
      'id',
      'status',
      'environment',
      'category',
      'ownerFunction',
      'risk',
      'target',
      'targetType',
      'targetKey',
      'key',
      'stopTarget',
      'origin',
      'requester',
      'reason',
      'ticket',
      'baseVersion',
      'before',
      'after',
      'diff',
      'requirement',
      'approverFunctions',
      'approvals',
      'approvalStatus',
      'viewerCanApprove',
      'viewerCannotApproveReason',
      'viewerCannotApproveCode',
      'viewerCanReject',
      'createdAt',
      'expiresAt',
      'updatedAt',
      'approvedAt',
      'appliedVersion',
      'appliedAt',
      'rejection',
      'cancellation',
      'superseded',
      'expiredAt',
      'failureReason',
      'failedAt',
      'withheldPaths',
      'textsWithheld',
    ],
    inherit(
      'Query.changeRequests',
      'Query.changeRequest',
      'Setting.pendingChange',
      'Setting.pendingChanges',
      'EmergencyStop.pendingResume',
      'ChangeResult.changeRequest',
      'Mutation.approveChange',
      'Mutation.rejectChange',
      'Mutation.cancelChange',
      'Query.myAccessRequests',
      'CatalogSetting.pendingChange',
      'ChangeEvent.change',
      'ChangeRequestEdge.node',
    ),
  ),
  // The live queue (schema/subscriptions.graphql): the rules of changeRequests. The server asks them again on every
  // event against the subscriber's current rights (src/server/live-events-session.ts). Every change of the tenant
  // needs configuration read; the changes the caller can act on need none, as `changeRequests(actionable: true)`:
  // each event is passed on only when the caller can act on its change (canActOn, with the target's own right), so a
  // clinician's inbox of medication proposals is live too (it was refused for want of configuration read).
  Subscription: { changeEvents: read('configuration', false), actionableChanges: authenticated },
  ChangeEvent: all(
    ['kind', 'changeId', 'approvals', 'at', 'change', 'actionable'],
    inherit('Subscription.changeEvents', 'Subscription.actionableChanges'),
  ),
  ChangeOrigin: all(['type', 'toVersion', 'fromEnvironment', 'fromVersion'], inherit('ChangeRequest.origin')),
  ChangeRequester: all(['sub', 'roles', 'functions', 'kind'], inherit('ChangeRequest.requester')),
  ApprovalRequirement: all(
    ['requiredApprovals', 'distinctFunctions', 'ownerFunctionRequired', 'mfaRequired', 'requiredFunction'],
    inherit('ChangeRequest.requirement'),
  ),
  Approval: all(['sub', 'roleUsed', 'functions', 'mfa', 'comment', 'at'], inherit('ChangeRequest.approvals')),
  ApprovalStatus: all(['satisfied', 'remaining', 'stillNeededFrom', 'summary'], inherit('ChangeRequest.approvalStatus')),
  Rejection: all(['sub', 'functions', 'reason', 'at'], inherit('ChangeRequest.rejection')),
  Cancellation: all(['sub', 'at'], inherit('ChangeRequest.cancellation')),
  Supersession: all(['currentVersion', 'at', 'replacedBy'], inherit('ChangeRequest.superseded')),
  Me: all(
    ['sub', 'tenant', 'kind', 'roles', 'departments', 'mfa', 'scopes', 'grants', 'permissions', 'policyVersion'],
    inherit('Query.me'),
  ),
  EffectivePermission: all(['dataClass', 'action', 'scope', 'via'], inherit('Me.permissions')),
  // schema/access.graphql: answers about the caller, or guarded by the Query/Mutation field that returns them.
  Explanation: all(
    [
      'action',
      'decision',
      'rule',
      'policyVersion',
      'at',
      'via',
      'permission',
      'failedScope',
      'reason',
      'ownerRole',
      'ownerFunction',
      'message',
      'approvalPath',
      'requestAccess',
      'mask',
    ],
    inherit('Query.explain', 'Query.explainField'),
  ),
  ApprovalPath: all(
    [
      'environment',
      'risk',
      'requiredApprovals',
      'approverFunctions',
      'distinctFunctions',
      'ownerFunctionRequired',
      'requiredFunction',
      'mfaRequired',
      'summary',
    ],
    inherit('Explanation.approvalPath', 'CatalogSetting.approvalPath'),
  ),
  RequestAccessTemplate: all(
    ['requestedRole', 'requestedGrant', 'scopeDepartments', 'justification', 'durationMinutes'],
    inherit('Explanation.requestAccess'),
  ),
  CatalogSetting: all(
    [
      'key',
      'environment',
      'category',
      'description',
      'value',
      'version',
      'ownerFunction',
      'ownerRole',
      'risk',
      'canEdit',
      'requiresApproval',
      'lockedReason',
      'approvalPath',
      'status',
      'pendingChange',
    ],
    inherit('Query.settingsCatalog'),
  ),
  AccessGrant: all(
    [
      'id',
      'sub',
      'kind',
      'name',
      'source',
      'patientId',
      'departments',
      'environments',
      'grantedAt',
      'expiresAt',
      'active',
      'reason',
      'ticket',
      'revokedBy',
      'revokedAt',
      'reviews',
    ],
    inherit('Query.myAccess', 'Query.accessOf', 'AccessReviewItem.grant', 'Mutation.breakGlass', 'Mutation.completeReview'),
  ),
  GrantReview: all(['by', 'at', 'decision', 'comment'], inherit('AccessGrant.reviews')),
  AccessReviewItem: all(['grant', 'flags', 'lastUsedAt'], inherit('Query.accessReview')),
  PolicyVersion: all(['version', 'policyVersion', 'changedBy', 'changeId', 'at'], inherit('Query.policyVersions')),
  PatientConnection: all(['edges', 'pageInfo'], inherit('Query.patients')),
  PatientEdge: all(['cursor', 'node'], inherit('PatientConnection.edges')),
  PageInfo: all(
    ['hasNextPage', 'hasPreviousPage', 'startCursor', 'endCursor'],
    inherit('PatientConnection.pageInfo', 'AuditEventConnection.pageInfo', 'ChangeRequestConnection.pageInfo'),
  ),
  ChangeRequestConnection: all(['edges', 'pageInfo', 'totalCount'], inherit('Query.changeRequestsConnection')),
  ChangeRequestEdge: all(['cursor', 'node'], inherit('ChangeRequestConnection.edges')),
  AuditEventConnection: all(['edges', 'pageInfo'], inherit('Query.auditEvents', 'Query.auditEventsConnection')),
  AuditEventEdge: all(['cursor', 'node'], inherit('AuditEventConnection.edges')),
  AuditEvent: all(
    [
      'id',
      'seq',
      'index',
      'category',
      'action',
      'at',
      'outcome',
      'actor',
      'requestId',
      'patientId',
      'dataClasses',
      'fields',
      'operation',
      'breakGlass',
      'changeId',
      'environment',
      'target',
      'settingCategory',
      'risk',
      'status',
      'before',
      'after',
      'reason',
      'ticket',
      'approvals',
      'detail',
    ],
    inherit('AuditEventEdge.node'),
  ),
  AuditActor: all(['sub', 'kind', 'roles'], inherit('AuditEvent.actor')),
  AuditApproval: all(['sub', 'roleUsed', 'functions', 'mfa', 'comment', 'at'], inherit('AuditEvent.approvals')),
  AuditVerification: all(
    [
      'ok',
      'storage',
      'archivedThrough',
      'retainedWindow',
      'resumedAfter',
      'records',
      'firstSeq',
      'headSeq',
      'checkpointsVerified',
      'problem',
      'seq',
      'message',
    ],
    inherit('Query.auditVerify'),
  ),
  Patient: {
    ...all(['id', 'name', 'gender', 'birthDate', 'department'], read('demographics')),
    ...all(['address', 'telecom'], read('contact')),
    // Masked to the last four for anyone with demographics; unmasked with the identifiers permission (the kernel,
    // rules/field-decision.ts, says which; the resolver applies it).
    ...all(['mrn', 'ssn'], { kind: 'read', dataClass: 'demographics', row: true, mask: 'identifiers' }),
    ...all(['conditions', 'immunizations', 'carePlans'], read('clinical')),
    observations: read('observations'),
    ...all(['medications', 'allergies'], read('medications')),
    encounters: read('encounters'),
    notes: read('notes'),
    ...all(['coverage', 'claims', 'explanationOfBenefits', 'invoices', 'accountBalance'], read('financial')),
  },
  Address: all(['line', 'city', 'state', 'postalCode', 'country'], inherit('Patient.address')),
  ContactPoint: all(['system', 'value', 'use'], inherit('Patient.telecom')),
  // Rows of the patient's record: a sensitive row (rules/field-decision.ts) is withheld whole without the sensitive
  // grant, every field of it; test/rules/sensitive-fields.test.ts derives the list of such fields from the schema.
  Condition: all(['id', 'code', 'display', 'clinicalStatus', 'onsetDate', 'sensitive'], readRecord('clinical')),
  Observation: all(['id', 'code', 'display', 'category', 'value', 'unit', 'effectiveDate'], readRecord('observations')),
  MedicationRequest: all(['id', 'medication', 'status', 'authoredOn', 'dosage'], readRecord('medications')),
  AllergyIntolerance: all(['id', 'substance', 'criticality', 'clinicalStatus'], readRecord('medications')),
  Immunization: all(['id', 'vaccine', 'status', 'date'], readRecord('clinical')),
  // Encounter.subject is a second path to Patient: its fields are guarded by the Patient rules above.
  Encounter: all(['id', 'type', 'status', 'start', 'end', 'serviceProvider', 'subject'], readRecord('encounters')),
  CarePlan: all(['id', 'title', 'status', 'start', 'activities'], readRecord('clinical')),
  ClinicalNote: all(['id', 'kind', 'title', 'date', 'text'], readRecord('notes')),
  Coverage: all(['id', 'payer', 'status', 'subscriberId', 'periodStart'], readRecord('financial')),
  Claim: all(['id', 'status', 'type', 'created', 'provider', 'insurer', 'total', 'currency', 'patient'], readRecord('financial')),
  ExplanationOfBenefit: all(['id', 'status', 'created', 'insurer', 'totalSubmitted', 'payment', 'currency'], readRecord('financial')),
  Invoice: all(
    ['id', 'status', 'date', 'totalGross', 'totalNet', 'currency', 'refunded', 'failedPaymentAttempts'],
    readRecord('financial'),
  ),
  AccountBalance: all(['amount', 'currency', 'openInvoices'], readRecord('financial')),
  PatientStatistics: all(['total', 'byGender', 'byAgeBand', 'suppressionThreshold'], read('aggregates', false)),
  StatisticsBucket: all(['label', 'count', 'suppressed'], inherit('PatientStatistics.byGender', 'PatientStatistics.byAgeBand')),
};
