/* eslint-disable */
import type { DocumentTypeDecoration } from '@graphql-typed-document-node/core';
export type Maybe<T> = T | null;
export type InputMaybe<T> = T | null | undefined;
export type Exact<T extends { [key: string]: unknown }> = { [K in keyof T]: T[K] };
export type MakeOptional<T, K extends keyof T> = Omit<T, K> & { [SubKey in K]?: Maybe<T[SubKey]> };
export type MakeMaybe<T, K extends keyof T> = Omit<T, K> & { [SubKey in K]: Maybe<T[SubKey]> };
export type MakeEmpty<T extends { [key: string]: unknown }, K extends keyof T> = { [_ in K]?: never };
export type Incremental<T> = T | { [P in keyof T]?: P extends ' $fragmentName' | '__typename' ? T[P] : never };
/** All built-in and custom scalars, mapped to their actual values */
export type Scalars = {
  ID: { input: string; output: string; }
  String: { input: string; output: string; }
  Boolean: { input: boolean; output: boolean; }
  Int: { input: number; output: number; }
  Float: { input: number; output: number; }
  /** ISO-8601 date-time in UTC. */
  DateTime: { input: string; output: string; }
  /** Any JSON value: a setting's value, the before and after of a change, a diff entry's values. */
  JSON: { input: unknown; output: unknown; }
};

export type AccessDecision =
  | 'ALLOW'
  | 'DENY'
  /** Allowed only through a governed change: it would be proposed and wait for `approvalPath`. */
  | 'NEEDS_APPROVAL';

/** One role assignment, time-limited grant or break-glass of a principal (revoked and expired ones stay listed). */
export type AccessGrant = {
  active: Scalars['Boolean']['output'];
  /** null: the departments of the token. */
  departments?: Maybe<Array<Scalars['String']['output']>>;
  environments: Array<Environment>;
  /** null: standing. */
  expiresAt?: Maybe<Scalars['DateTime']['output']>;
  grantedAt: Scalars['DateTime']['output'];
  id: Scalars['ID']['output'];
  kind: AccessGrantKind;
  /** The role, the grant of the policy, or `break-glass`. */
  name: Scalars['String']['output'];
  patientId?: Maybe<Scalars['ID']['output']>;
  reason: Scalars['String']['output'];
  reviews: Array<GrantReview>;
  revokedAt?: Maybe<Scalars['DateTime']['output']>;
  revokedBy?: Maybe<Scalars['String']['output']>;
  source: AccessGrantSource;
  sub: Scalars['String']['output'];
  ticket?: Maybe<Scalars['String']['output']>;
};

export type AccessGrantKind =
  | 'BREAK_GLASS'
  | 'GRANT'
  | 'ROLE';

export type AccessGrantSource =
  /** An approved access request (time-limited). */
  | 'ACCESS_REQUEST'
  /** A standing assignment by security. */
  | 'ASSIGNMENT'
  | 'BREAK_GLASS';

export type AccessReviewFlag =
  /** A break-glass use nobody has reviewed yet. */
  | 'BREAK_GLASS'
  /** Names a department the person no longer has a standing assignment for. */
  | 'PAST_DEPARTMENT'
  /** Not used by any decision for `staleDays` (usage is recorded at most once a minute per grant). */
  | 'STALE';

export type AccessReviewItem = {
  flags: Array<AccessReviewFlag>;
  grant: AccessGrant;
  lastUsedAt?: Maybe<Scalars['DateTime']['output']>;
};

export type AccountBalance = {
  amount?: Maybe<Scalars['Float']['output']>;
  currency?: Maybe<Scalars['String']['output']>;
  openInvoices?: Maybe<Scalars['Int']['output']>;
};

export type Address = {
  city?: Maybe<Scalars['String']['output']>;
  country?: Maybe<Scalars['String']['output']>;
  line?: Maybe<Array<Scalars['String']['output']>>;
  postalCode?: Maybe<Scalars['String']['output']>;
  state?: Maybe<Scalars['String']['output']>;
};

export type AllergyIntolerance = {
  clinicalStatus?: Maybe<Scalars['String']['output']>;
  criticality?: Maybe<Scalars['String']['output']>;
  id: Scalars['ID']['output'];
  substance?: Maybe<Scalars['String']['output']>;
};

export type Approval = {
  at: Scalars['DateTime']['output'];
  comment?: Maybe<Scalars['String']['output']>;
  /** The approver's functions that can count for this change. */
  functions: Array<Scalars['String']['output']>;
  mfa: Scalars['Boolean']['output'];
  /** The role the approval was given in. */
  roleUsed: Scalars['String']['output'];
  sub: Scalars['String']['output'];
};

/** How a governed change would be approved: the approval rule, in data and in words. */
export type ApprovalPath = {
  /** Functions whose members may approve, owner first; never the requester, never the beneficiary. */
  approverFunctions: Array<Scalars['String']['output']>;
  distinctFunctions: Scalars['Boolean']['output'];
  environment: Environment;
  mfaRequired: Scalars['Boolean']['output'];
  ownerFunctionRequired: Scalars['Boolean']['output'];
  requiredApprovals: Scalars['Int']['output'];
  requiredFunction?: Maybe<Scalars['String']['output']>;
  risk: Risk;
  summary: Scalars['String']['output'];
};

/** The approval rule the change was proposed under: what the requester was told is what is enforced. */
export type ApprovalRequirement = {
  /** Every counted approval comes from a different function. */
  distinctFunctions: Scalars['Boolean']['output'];
  /** Every approval needs a token with a second factor. */
  mfaRequired: Scalars['Boolean']['output'];
  /** One counted approval comes from the owner function. */
  ownerFunctionRequired: Scalars['Boolean']['output'];
  requiredApprovals: Scalars['Int']['output'];
  /** One counted approval must come from this function (CRITICAL policy changes). */
  requiredFunction?: Maybe<Scalars['String']['output']>;
};

export type ApprovalStatus = {
  /** Approvals still needed, at the least. */
  remaining: Scalars['Int']['output'];
  satisfied: Scalars['Boolean']['output'];
  /** Functions whose member could give the next approval that counts. */
  stillNeededFrom: Array<Scalars['String']['output']>;
  /** For people: "needs 1 more from: security (with MFA)". */
  summary: Scalars['String']['output'];
};

export type AssignRoleInput = {
  assignedRole: Scalars['String']['input'];
  /** Who gets the role (the `sub` of their tokens). Argument names never look like the caller's identity. */
  assignee: Scalars['String']['input'];
  /** Default: both. */
  environments?: InputMaybe<Array<Environment>>;
  /** null: standing. A date: the change expires with it if not approved by then (nothing dead is ever applied). */
  expiresAt?: InputMaybe<Scalars['DateTime']['input']>;
  reason: Scalars['String']['input'];
  /** null: the departments of the person's token. */
  scopeDepartments?: InputMaybe<Array<Scalars['String']['input']>>;
  ticket?: InputMaybe<Scalars['String']['input']>;
};

export type AuditActor = {
  /** user, agent, service; `unverified` for the subject claimed by a token that failed verification. */
  kind?: Maybe<Scalars['String']['output']>;
  roles?: Maybe<Array<Scalars['String']['output']>>;
  sub: Scalars['String']['output'];
};

export type AuditApproval = {
  at: Scalars['DateTime']['output'];
  comment?: Maybe<Scalars['String']['output']>;
  functions: Array<Scalars['String']['output']>;
  mfa: Scalars['Boolean']['output'];
  roleUsed: Scalars['String']['output'];
  sub: Scalars['String']['output'];
};

/** One event of the log. Fields that do not apply to the event's category are null. */
export type AuditEvent = {
  action: Scalars['String']['output'];
  /** null when no person acted (expiry, supersession) or a failed login named no plausible subject. */
  actor?: Maybe<AuditActor>;
  after?: Maybe<Scalars['JSON']['output']>;
  /** Change: the approval trail at this step (approver, role, the functions it counted for, MFA, comment, time). */
  approvals?: Maybe<Array<AuditApproval>>;
  at: Scalars['DateTime']['output'];
  before?: Maybe<Scalars['JSON']['output']>;
  /** PHI read: opened through break-glass; true on the break-glass opening itself (`access.break-glass`). */
  breakGlass?: Maybe<Scalars['Boolean']['output']>;
  category: Scalars['String']['output'];
  changeId?: Maybe<Scalars['ID']['output']>;
  /** PHI read: the data classes returned. */
  dataClasses?: Maybe<Array<Scalars['String']['output']>>;
  detail?: Maybe<Scalars['JSON']['output']>;
  environment?: Maybe<Scalars['String']['output']>;
  /** PHI read: the fields returned (`Type.field`), never their values. */
  fields?: Maybe<Array<Scalars['String']['output']>>;
  /** `<seq>.<index>`: the record (one link of the hash chain) and the event's place in it. */
  id: Scalars['ID']['output'];
  index: Scalars['Int']['output'];
  /** PHI read: the GraphQL operation name. */
  operation?: Maybe<Scalars['String']['output']>;
  outcome: AuditOutcome;
  /**
   * PHI read: the patient whose data was returned; a change about one patient's record (write-back, break-glass, a
   * medication proposal): that patient. The `patientId` filter finds both.
   */
  patientId?: Maybe<Scalars['ID']['output']>;
  /** Change: the requester's reason; emergency stop: its reason; failed login: the verification failure reason. */
  reason?: Maybe<Scalars['String']['output']>;
  requestId?: Maybe<Scalars['String']['output']>;
  risk?: Maybe<Scalars['String']['output']>;
  seq: Scalars['Int']['output'];
  settingCategory?: Maybe<Scalars['String']['output']>;
  /** Change: the change request's status after this step. */
  status?: Maybe<Scalars['String']['output']>;
  /** Change: `setting:<key>` or `stop:<target>`. */
  target?: Maybe<Scalars['String']['output']>;
  ticket?: Maybe<Scalars['String']['output']>;
};

export type AuditEventConnection = {
  edges?: Maybe<Array<AuditEventEdge>>;
  pageInfo?: Maybe<PageInfo>;
};

export type AuditEventEdge = {
  cursor: Scalars['String']['output'];
  node?: Maybe<AuditEvent>;
};

export type AuditEventFilter = {
  /** An action, such as phi.read, change.proposed, change.approved, change.applied, emergency.stopped, auth.failed. */
  action?: InputMaybe<Scalars['String']['input']>;
  /** The actor's `sub` (for a failed login: the subject the rejected token claimed). */
  actor?: InputMaybe<Scalars['String']['input']>;
  /**
   * An event category (phi-read, change, emergency, auth, access, policy) or, for change events, the category of the
   * setting (ai-behavior, integration, billing-automation, messaging, access, audit).
   */
  category?: InputMaybe<Scalars['String']['input']>;
  /** Events at or after this time. */
  from?: InputMaybe<Scalars['DateTime']['input']>;
  outcome?: InputMaybe<AuditOutcome>;
  /** Only PHI reads of this patient. */
  patientId?: InputMaybe<Scalars['ID']['input']>;
  /** Events before this time (exclusive, so consecutive windows never count an event twice). */
  to?: InputMaybe<Scalars['DateTime']['input']>;
};

export type AuditOutcome =
  | 'FAILURE'
  | 'SUCCESS';

export type AuditProblem =
  | 'ANCHOR_UNSIGNED'
  | 'BODY_ALTERED'
  | 'BROKEN_LINK'
  | 'CHECKPOINT_MISMATCH'
  | 'CHECKPOINT_SIGNATURE'
  | 'HEAD_MISMATCH'
  | 'MALFORMED'
  | 'MISSING_OR_REORDERED'
  | 'REWRITTEN';

/** Where a tenant's audit log lives. */
export type AuditStorage =
  /** The embedded default: in the gateway's memory, no archive, lost on restart. */
  | 'MEMORY'
  /** Redis only (no AUDIT_ARCHIVE_URL). */
  | 'REDIS'
  /** The hot window in Redis, sealed segments in the PostgreSQL archive. */
  | 'REDIS_POSTGRESQL';

export type AuditVerification = {
  /** The last record in the PostgreSQL archive (null without an archive). */
  archivedThrough?: Maybe<Scalars['Int']['output']>;
  checkpointsVerified?: Maybe<Scalars['Int']['output']>;
  /** The oldest retained record (1 until a retention trim). */
  firstSeq: Scalars['Int']['output'];
  headSeq: Scalars['Int']['output'];
  message?: Maybe<Scalars['String']['output']>;
  ok: Scalars['Boolean']['output'];
  /** The first problem found, with the record it is at. */
  problem?: Maybe<AuditProblem>;
  /** Records checked (all of them when ok). */
  records: Scalars['Int']['output'];
  /** Set when the verify resumed after this record (fromCheckpoint) instead of reading from the start. */
  resumedAfter?: Maybe<Scalars['Int']['output']>;
  /**
   * The embedded default's in-memory log keeps only this many newest records per tenant (older ones are dropped and
   * verification starts at firstSeq, from the hash they left); null: every record is kept (Redis, PostgreSQL).
   */
  retainedWindow?: Maybe<Scalars['Int']['output']>;
  seq?: Maybe<Scalars['Int']['output']>;
  storage: AuditStorage;
};

export type BillingActionKind =
  | 'ESCALATION'
  | 'REMINDER';

export type BillingActionOutcome =
  /** A previous run already sent this reminder step or queued this escalation. */
  | 'ALREADY_DONE'
  /** Reminder refused or undeliverable (recorded as a not-done Communication). */
  | 'FAILED'
  /** Not sent (messaging stopped, no template, no address): see detail. */
  | 'NOT_SENT'
  /** Dry run: what would happen. */
  | 'PLANNED'
  /** Escalation put in its queue. */
  | 'QUEUED'
  /** Reminder accepted by the channel. */
  | 'SENT';

export type BillingAutomationAction = {
  accountId?: Maybe<Scalars['ID']['output']>;
  amount: Scalars['Float']['output'];
  currency: Scalars['String']['output'];
  daysOpen: Scalars['Int']['output'];
  detail?: Maybe<Scalars['String']['output']>;
  failedPaymentAttempts?: Maybe<Scalars['Int']['output']>;
  invoiceId: Scalars['ID']['output'];
  kind: BillingActionKind;
  outcome: BillingActionOutcome;
  patientId: Scalars['ID']['output'];
  /** ESCALATION: the queue it goes to, and the failed attempts that triggered it. */
  queue?: Maybe<Scalars['String']['output']>;
  /** REMINDER: the cadence step (days after the invoice) it is for. */
  reminderDay?: Maybe<Scalars['Int']['output']>;
  /** The rule that produced it, e.g. billing.reminderCadenceDays[2] or billing.failedPaymentEscalation. */
  rule: Scalars['String']['output'];
};

export type BillingAutomationRun = {
  actions: Array<BillingAutomationAction>;
  dryRun: Scalars['Boolean']['output'];
  environment: Environment;
  /** automation:billing is stopped: a dry run still lists, a real run is refused (CONFLICT, reason STOPPED). */
  stopped: Scalars['Boolean']['output'];
};

export type Cancellation = {
  at: Scalars['DateTime']['output'];
  sub: Scalars['String']['output'];
};

export type CarePlan = {
  activities?: Maybe<Array<Scalars['String']['output']>>;
  id: Scalars['ID']['output'];
  start?: Maybe<Scalars['String']['output']>;
  status?: Maybe<Scalars['String']['output']>;
  title?: Maybe<Scalars['String']['output']>;
};

/** A setting with everything needed to render its control: value, lock, owner, approval path, status. */
export type CatalogSetting = {
  approvalPath: ApprovalPath;
  /** Whether the caller may propose a change (the same check updateSetting makes). */
  canEdit: Scalars['Boolean']['output'];
  category: SettingCategory;
  description: Scalars['String']['output'];
  environment: Environment;
  key: Scalars['String']['output'];
  /** Why the control is disabled; null when canEdit. */
  lockedReason?: Maybe<Scalars['String']['output']>;
  ownerFunction: Scalars['String']['output'];
  ownerRole: Scalars['String']['output'];
  pendingChange?: Maybe<ChangeRequest>;
  /** Whether the caller's change would wait for approvals (the approval rules for this risk and the caller's kind). */
  requiresApproval: Scalars['Boolean']['output'];
  risk: Risk;
  status: SettingStatus;
  value?: Maybe<Scalars['JSON']['output']>;
  version: Scalars['Int']['output'];
};

export type ChangeEvent = {
  /** Whether the caller can give the next counted approval now (the decision approveChange makes). */
  actionable: Scalars['Boolean']['output'];
  /** Approvals the change holds after this event. */
  approvals: Scalars['Int']['output'];
  at: Scalars['DateTime']['output'];
  /** The change as the caller may see it now (its field rules apply); null if it is not there for the caller. */
  change?: Maybe<ChangeRequest>;
  changeId: Scalars['ID']['output'];
  kind: ChangeEventKind;
};

export type ChangeEventKind =
  | 'APPLIED'
  /** A counted approval: the change is still PENDING (more needed) or APPROVED (its external effect runs next). */
  | 'APPROVED'
  | 'CANCELLED'
  | 'EXPIRED'
  | 'FAILED'
  | 'PROPOSED'
  | 'REJECTED'
  | 'SUPERSEDED';

export type ChangeOrigin = {
  /** For a promotion: where the value comes from. */
  fromEnvironment?: Maybe<Environment>;
  fromVersion?: Maybe<Scalars['Int']['output']>;
  /** For a rollback: the version whose value it restores. */
  toVersion?: Maybe<Scalars['Int']['output']>;
  type: ChangeOriginType;
};

export type ChangeOriginType =
  | 'ACCESS_REQUEST'
  | 'DIRECT'
  | 'PROMOTION'
  | 'ROLLBACK';

export type ChangeRequest = {
  /**
   * The value the change writes. For a clinical write (EHR_WRITE) the full proposed FHIR resource (a MedicationRequest:
   * drug, RxNorm code, dosage), shown as far as the caller's own field rules allow: elements whose field the caller may
   * not read are left out (listed in withheldPaths), and a sensitive resource (an antiretroviral, say) is withheld whole
   * from a caller without the `sensitive` grant.
   */
  after?: Maybe<Scalars['JSON']['output']>;
  appliedAt?: Maybe<Scalars['DateTime']['output']>;
  /** The version the change wrote, once APPLIED. */
  appliedVersion?: Maybe<Scalars['Int']['output']>;
  approvalStatus: ApprovalStatus;
  /** The approval trail, in order. */
  approvals: Array<Approval>;
  approvedAt?: Maybe<Scalars['DateTime']['output']>;
  /** Functions whose members may approve (and reject), owner first. */
  approverFunctions: Array<Scalars['String']['output']>;
  /** The target's version the change was computed against; it applies only over exactly this version. */
  baseVersion: Scalars['Int']['output'];
  before?: Maybe<Scalars['JSON']['output']>;
  cancellation?: Maybe<Cancellation>;
  category: SettingCategory;
  createdAt: Scalars['DateTime']['output'];
  /** The exact difference that applying the change makes (for a clinical write, of what the caller may see). */
  diff: Array<DiffEntry>;
  environment: Environment;
  expiredAt?: Maybe<Scalars['DateTime']['output']>;
  expiresAt: Scalars['DateTime']['output'];
  failedAt?: Maybe<Scalars['DateTime']['output']>;
  failureReason?: Maybe<Scalars['String']['output']>;
  id: Scalars['ID']['output'];
  /** The setting key, for a setting change. */
  key?: Maybe<Scalars['String']['output']>;
  origin: ChangeOrigin;
  ownerFunction: Scalars['String']['output'];
  reason?: Maybe<Scalars['String']['output']>;
  rejection?: Maybe<Rejection>;
  requester: ChangeRequester;
  requirement: ApprovalRequirement;
  risk: Risk;
  status: ChangeStatus;
  /** The stopped target (`connector:ehr`), for a resume. */
  stopTarget?: Maybe<Scalars['String']['output']>;
  superseded?: Maybe<Supersession>;
  /**
   * The id of the stored document the change writes (`setting:<key>`, `stop:<target>`): use targetType and targetKey.
   * @deprecated A store's document id: use targetType and targetKey.
   */
  target: Scalars['String']['output'];
  /**
   * What the change changes, within its targetType: the setting key (SETTING), the keys comma-separated (SETTINGS), the
   * stopped target (EMERGENCY_RESUME), the person's sub (ASSIGNMENT, ACCESS_REQUEST), the draft (EHR_WRITE), the refund
   * (REFUND), `policy` (POLICY).
   */
  targetKey: Scalars['String']['output'];
  targetType: ChangeTargetType;
  /**
   * True when the change's texts (its reason, the approvers' comments, a rejection's and a failure's reason) are withheld
   * from the caller with its value (a refund, from a caller who may not read that invoice): those fields are then null
   * because they are withheld, not because nobody wrote them.
   */
  textsWithheld: Scalars['Boolean']['output'];
  ticket?: Maybe<Scalars['String']['output']>;
  updatedAt: Scalars['DateTime']['output'];
  /** Whether the caller's approval would be accepted now (the same decision approveChange makes, not committed). */
  viewerCanApprove: Scalars['Boolean']['output'];
  /**
   * Whether rejectChange would accept the caller's rejection now (the same checks, not committed). Can be true where
   * viewerCanApprove is false: a proposal whose write the write-back gate holds can still be turned down.
   */
  viewerCanReject: Scalars['Boolean']['output'];
  /**
   * Why not, as approveChange would refuse: its `reason` for a governance refusal (SELF_APPROVAL, MFA_REQUIRED,
   * NOT_AN_APPROVER, NOT_PENDING...); `FORBIDDEN` when the caller may not reach the change's target at all (approveChange's
   * data denial, which carries a permission and failedScope rather than a reason: viewerCannotApproveReason says which);
   * `NOT_FOUND` when the change's patient is gone. null when it can.
   */
  viewerCannotApproveCode?: Maybe<Scalars['String']['output']>;
  /** Why not, for people; null when viewerCanApprove. */
  viewerCannotApproveReason?: Maybe<Scalars['String']['output']>;
  /**
   * JSON Pointer paths of `after` withheld from the caller by their field rules; `""` when the whole proposed resource
   * is withheld (a sensitive row without the `sensitive` grant, or no read of its data class for that patient).
   */
  withheldPaths: Array<Scalars['String']['output']>;
};

export type ChangeRequestConnection = {
  edges?: Maybe<Array<ChangeRequestEdge>>;
  pageInfo?: Maybe<PageInfo>;
  totalCount?: Maybe<Scalars['Int']['output']>;
};

export type ChangeRequestEdge = {
  cursor: Scalars['String']['output'];
  node?: Maybe<ChangeRequest>;
};

export type ChangeRequester = {
  functions: Array<Scalars['String']['output']>;
  kind: PrincipalKind;
  roles: Array<Scalars['String']['output']>;
  sub: Scalars['String']['output'];
};

/** What a governed mutation did, decided before anything executed. */
export type ChangeResult = {
  changeRequest: ChangeRequest;
  /** The setting as it is now (unchanged while the change is pending); null for a resume. */
  setting?: Maybe<Setting>;
  status: ChangeResultStatus;
  /** The stop state as it is now, for a resume; null for a setting. */
  stopState?: Maybe<EmergencyStop>;
  /** The target's new version when APPLIED. */
  version?: Maybe<Scalars['Int']['output']>;
};

export type ChangeResultStatus =
  /** The change took effect: `version` is the new version. */
  | 'APPLIED'
  /** The change waits for approvals: `changeRequest` says which. */
  | 'PENDING_APPROVAL';

export type ChangeStatus =
  | 'APPLIED'
  | 'APPROVED'
  | 'CANCELLED'
  | 'EXPIRED'
  | 'FAILED'
  | 'PENDING'
  | 'REJECTED'
  | 'SUPERSEDED';

export type ChangeTargetType =
  /** One's own time-limited access request (requestAccess). */
  | 'ACCESS_REQUEST'
  /** Someone's role assignments and grants (assignRole, revokeRole). */
  | 'ASSIGNMENT'
  /** A clinical write to the EHR proposed by an AI agent; executed through the outbox once a clinician approves. */
  | 'EHR_WRITE'
  | 'EMERGENCY_RESUME'
  /** The tenant's policy document (proposePolicy). */
  | 'POLICY'
  /** A refund on an invoice (issueRefund): above billing.refundThreshold it waits for a finance approver. */
  | 'REFUND'
  | 'SETTING'
  /** Several settings changed together (configureConnector): one change, applied all at once or not at all. */
  | 'SETTINGS';

export type Claim = {
  created?: Maybe<Scalars['String']['output']>;
  currency?: Maybe<Scalars['String']['output']>;
  id: Scalars['ID']['output'];
  insurer?: Maybe<Scalars['String']['output']>;
  patient?: Maybe<Patient>;
  provider?: Maybe<Scalars['String']['output']>;
  status?: Maybe<Scalars['String']['output']>;
  total?: Maybe<Scalars['Float']['output']>;
  type?: Maybe<Scalars['String']['output']>;
};

export type ClinicalNote = {
  date?: Maybe<Scalars['String']['output']>;
  id: Scalars['ID']['output'];
  kind?: Maybe<NoteKind>;
  text?: Maybe<Scalars['String']['output']>;
  title?: Maybe<Scalars['String']['output']>;
};

export type Condition = {
  clinicalStatus?: Maybe<Scalars['String']['output']>;
  code?: Maybe<Scalars['String']['output']>;
  display?: Maybe<Scalars['String']['output']>;
  id: Scalars['ID']['output'];
  onsetDate?: Maybe<Scalars['String']['output']>;
  /** True for conditions in a sensitive category (HIV, substance use, mental health): code and display need the sensitive grant. */
  sensitive?: Maybe<Scalars['Boolean']['output']>;
};

export type ConfigureConnectorInput = {
  baseUrl?: InputMaybe<Scalars['String']['input']>;
  clientId?: InputMaybe<Scalars['String']['input']>;
  /** Write-only. Needs `write` on credentials (system-admin). */
  clientSecret?: InputMaybe<Scalars['String']['input']>;
  connectorId: Scalars['String']['input'];
  environment: Environment;
  reason?: InputMaybe<Scalars['String']['input']>;
  scopes?: InputMaybe<Array<Scalars['String']['input']>>;
  ticket?: InputMaybe<Scalars['String']['input']>;
  writeBackMappings?: InputMaybe<Scalars['JSON']['input']>;
};

export type ConfigureConnectorResult = {
  changes: Array<ConnectorSettingChange>;
  connector?: Maybe<Connector>;
  credentialsChanged: Scalars['Boolean']['output'];
};

export type Connector = {
  baseUrl?: Maybe<Scalars['String']['output']>;
  credentials?: Maybe<ConnectorCredentials>;
  environment: Environment;
  id: Scalars['ID']['output'];
  scopes?: Maybe<Array<Scalars['String']['output']>>;
  /** connector:<id> is emergency-stopped in this environment. */
  stopped: Scalars['Boolean']['output'];
  writeBackEnabled?: Maybe<Scalars['Boolean']['output']>;
  writeBackMappings?: Maybe<Scalars['JSON']['output']>;
};

export type ConnectorCredentials = {
  /** The governed change this answer proposed (rotateConnectorSecret); PENDING_APPROVAL keeps the old credential in use. */
  change?: Maybe<ConnectorSettingChange>;
  /** Not secret: which client the gateway authenticates as. */
  clientId?: Maybe<Scalars['String']['output']>;
  configured: Scalars['Boolean']['output'];
  /** private_key_jwt: the key id (RFC 7638 thumbprint) of the signing key. */
  keyId?: Maybe<Scalars['String']['output']>;
  /** PRIVATE_KEY_JWT (SMART Backend Services) or CLIENT_SECRET_BASIC. */
  method?: Maybe<Scalars['String']['output']>;
  updatedAt?: Maybe<Scalars['DateTime']['output']>;
  updatedBy?: Maybe<Scalars['String']['output']>;
  /** Version of the governed setting integration.<id>.credentials. */
  version: Scalars['Int']['output'];
};

export type ConnectorHealth = {
  calls: Scalars['Int']['output'];
  /** CLOSED, OPEN (failing fast) or HALF_OPEN. */
  circuit: Scalars['String']['output'];
  connector: Scalars['String']['output'];
  errorRate: Scalars['Float']['output'];
  errors: Scalars['Int']['output'];
  lastError?: Maybe<Scalars['String']['output']>;
  lastErrorAt?: Maybe<Scalars['DateTime']['output']>;
  p50LatencyMs?: Maybe<Scalars['Float']['output']>;
};

export type ConnectorKeyAlgorithm =
  | 'ES384'
  | 'RS384';

export type ConnectorKeyResult = {
  change: ConnectorSettingChange;
  /** The credential in use now (the previous one while the change waits for approval). */
  credentials: ConnectorCredentials;
  /** Public keys to register at the EHR: the new key, and the one in use while the change waits. */
  jwks: Scalars['JSON']['output'];
  /** Path on this gateway where the same JWKS is served (GET, no authentication), for an EHR that fetches it. */
  jwksPath: Scalars['String']['output'];
};

export type ConnectorSettingChange = {
  changeRequestId: Scalars['ID']['output'];
  key: Scalars['String']['output'];
  /** APPLIED or PENDING_APPROVAL (approve with approveChange). */
  status: Scalars['String']['output'];
};

export type ConnectorTest = {
  /** A SMART access token was obtained with the stored credentials. */
  authenticated: Scalars['Boolean']['output'];
  connectorId: Scalars['ID']['output'];
  environment: Environment;
  /** NOT_CONFIGURED, UNAVAILABLE, TIMEOUT, REJECTED...; null when reachable. Never the server's answer. */
  error?: Maybe<Scalars['String']['output']>;
  /** From the server's CapabilityStatement (GET /metadata). */
  fhirVersion?: Maybe<Scalars['String']['output']>;
  reachable: Scalars['Boolean']['output'];
  /** @deprecated Upstream strings are not echoed: always null. */
  software?: Maybe<Scalars['String']['output']>;
  /** DISCOVERY (.well-known/smart-configuration), TOKEN, METADATA (GET /metadata), SEARCH (one search within the scopes). */
  steps: Array<ConnectorTestStep>;
  /** The connector's configured scopes the server supports (resource type and every interaction listed). */
  supportedScopes: Array<Scalars['String']['output']>;
  unsupportedScopes: Array<Scalars['String']['output']>;
};

export type ConnectorTestStep = {
  /** FAILED: the connector error kind (UNAUTHORIZED, UNAVAILABLE, TIMEOUT, REJECTED...), never the server's words. */
  error?: Maybe<Scalars['String']['output']>;
  name: Scalars['String']['output'];
  /** OK, FAILED or SKIPPED (not applicable, or an earlier step failed). */
  outcome: Scalars['String']['output'];
};

export type ContactPoint = {
  system?: Maybe<Scalars['String']['output']>;
  use?: Maybe<Scalars['String']['output']>;
  value?: Maybe<Scalars['String']['output']>;
};

export type Coverage = {
  id: Scalars['ID']['output'];
  payer?: Maybe<Scalars['String']['output']>;
  periodStart?: Maybe<Scalars['String']['output']>;
  status?: Maybe<Scalars['String']['output']>;
  subscriberId?: Maybe<Scalars['String']['output']>;
};

/** One difference between two JSON values. `path` is a JSON Pointer: "" is the whole value, "/threshold" a field. */
export type DiffEntry = {
  /** Absent for REMOVE. */
  after?: Maybe<Scalars['JSON']['output']>;
  /** Absent for ADD. */
  before?: Maybe<Scalars['JSON']['output']>;
  op: DiffOp;
  path: Scalars['String']['output'];
};

export type DiffOp =
  | 'ADD'
  | 'REMOVE'
  | 'REPLACE';

export type EffectivePermission = {
  action: Scalars['String']['output'];
  dataClass: Scalars['String']['output'];
  scope: PermissionScope;
  /** The role or grant that gives it. */
  via: Scalars['String']['output'];
};

export type EhrWriteResult = {
  /**
   * true when this request created the resource; false when it updated one (documentId) or when the idempotency key had
   * already written it (a retry answered with the first answer).
   */
  created: Scalars['Boolean']['output'];
  id: Scalars['ID']['output'];
  resourceType: Scalars['String']['output'];
  versionId?: Maybe<Scalars['String']['output']>;
};

/** The emergency-stop state of a target in an environment (version 0: never stopped). */
export type EmergencyStop = {
  environment: Environment;
  /** The open resume change of this target, if any. */
  pendingResume?: Maybe<ChangeRequest>;
  /** Why it was stopped (while stopped). */
  reason?: Maybe<Scalars['String']['output']>;
  stopped: Scalars['Boolean']['output'];
  stoppedAt?: Maybe<Scalars['DateTime']['output']>;
  stoppedBy?: Maybe<Scalars['String']['output']>;
  target: Scalars['String']['output'];
  version: Scalars['Int']['output'];
};

export type Encounter = Node & {
  end?: Maybe<Scalars['String']['output']>;
  id: Scalars['ID']['output'];
  serviceProvider?: Maybe<Scalars['String']['output']>;
  start?: Maybe<Scalars['String']['output']>;
  status?: Maybe<Scalars['String']['output']>;
  /** The patient seen: every Patient field is guarded here exactly as through Query.patient. */
  subject?: Maybe<Patient>;
  type?: Maybe<Scalars['String']['output']>;
};

export type Environment =
  | 'PRODUCTION'
  | 'STAGING';

/** What `explain` is asked about. Everything is optional; what an action needs is said in its description. */
export type ExplainResource = {
  amount?: InputMaybe<Scalars['Float']['input']>;
  /** For `role:assign:<role>`: who would get the role (nobody assigns themselves). */
  assignee?: InputMaybe<Scalars['String']['input']>;
  /** For `refund:issue`: the invoice (its patient is checked) and the amount (above the threshold it needs approval). */
  invoiceId?: InputMaybe<Scalars['ID']['input']>;
  /** For `read:<dataClass>` and `break-glass`: the patient (its tenant and departments are checked). */
  patientId?: InputMaybe<Scalars['ID']['input']>;
  /**
   * For `access:request:<grant>`: the departments the request would name (requestAccess scopeDepartments); a grant the
   * policy gives per department is only for departments the caller belongs to (OUTSIDE_DEPARTMENTS).
   */
  scopeDepartments?: InputMaybe<Array<Scalars['String']['input']>>;
};

export type Explanation = {
  action: Scalars['String']['output'];
  /** For NEEDS_APPROVAL: the path the change takes. For DENY: the path a requestAccess would take. */
  approvalPath?: Maybe<ApprovalPath>;
  /** When it was decided for (now, or `at`). */
  at: Scalars['DateTime']['output'];
  decision: AccessDecision;
  /** Which scope failed: role, department, grant, tenant, principal-kind, smart-scope, editor, self... */
  failedScope?: Maybe<Scalars['String']['output']>;
  /** For explainField: `LAST_FOUR` when the value is returned masked (identifiers); `permission` then names what unmasks it. */
  mask?: Maybe<Scalars['String']['output']>;
  message: Scalars['String']['output'];
  ownerFunction?: Maybe<Scalars['String']['output']>;
  ownerRole?: Maybe<Scalars['String']['output']>;
  /** The missing permission (DENY), e.g. `read:financial`. */
  permission?: Maybe<Scalars['String']['output']>;
  policyVersion: Scalars['String']['output'];
  /** The machine reason for governance actions (NOT_AN_EDITOR, SELF_ASSIGNMENT, NOT_ELIGIBLE...). */
  reason?: Maybe<Scalars['String']['output']>;
  /** For DENY, when asking can help. */
  requestAccess?: Maybe<RequestAccessTemplate>;
  /** The rule that decided: `policy:read:clinical`, `editors:ai-behavior`, `approval-rules:PRODUCTION/HIGH`... */
  rule: Scalars['String']['output'];
  /** The role or grant that allows it (ALLOW, NEEDS_APPROVAL). */
  via?: Maybe<Scalars['String']['output']>;
};

export type ExplanationOfBenefit = {
  created?: Maybe<Scalars['String']['output']>;
  currency?: Maybe<Scalars['String']['output']>;
  id: Scalars['ID']['output'];
  insurer?: Maybe<Scalars['String']['output']>;
  payment?: Maybe<Scalars['Float']['output']>;
  status?: Maybe<Scalars['String']['output']>;
  totalSubmitted?: Maybe<Scalars['Float']['output']>;
};

export type GrantReview = {
  at: Scalars['DateTime']['output'];
  by: Scalars['String']['output'];
  comment?: Maybe<Scalars['String']['output']>;
  decision: ReviewDecision;
};

export type Immunization = {
  date?: Maybe<Scalars['String']['output']>;
  id: Scalars['ID']['output'];
  status?: Maybe<Scalars['String']['output']>;
  vaccine?: Maybe<Scalars['String']['output']>;
};

export type InboundRoute = {
  /** For an emergency: the rule's action, e.g. advise-emergency-services. */
  action?: Maybe<Scalars['String']['output']>;
  /** The FHIR Communication that holds the message in its queue. */
  communicationId: Scalars['ID']['output'];
  emergency: Scalars['Boolean']['output'];
  /**
   * For an emergency: the answer sent to the patient at once (messaging.emergencyReplies; FAILED with STOPPED or
   * NO_ADDRESS when it could not go out).
   */
  emergencyReply?: Maybe<MessageSendResult>;
  /** Why, in one sentence: each finding with its status and cue. */
  explanation: Scalars['String']['output'];
  findings: Array<TriageFinding>;
  /** The keyword that matched, if any. */
  matched?: Maybe<Scalars['String']['output']>;
  /** on-call (emergency), nurse-triage, front-desk or billing. */
  queue: Scalars['String']['output'];
  /** The rule that matched: `emergency[0]`, `triage:<concept>`, `routing[1]` or `default`. */
  rule: Scalars['String']['output'];
  /** The triage level: emergency, clinical (nurse triage) or none. */
  triageLevel: Scalars['String']['output'];
  /** Whether the queue is staffed now (messaging.officeHours); emergencies escalate either way. */
  withinOfficeHours: Scalars['Boolean']['output'];
};

export type Invoice = {
  currency?: Maybe<Scalars['String']['output']>;
  date?: Maybe<Scalars['String']['output']>;
  failedPaymentAttempts?: Maybe<Scalars['Int']['output']>;
  id: Scalars['ID']['output'];
  /** Refunds recorded on this invoice. */
  refunded?: Maybe<Scalars['Float']['output']>;
  /** issued (open), balanced (paid), cancelled. */
  status?: Maybe<Scalars['String']['output']>;
  /** What was billed. */
  totalGross?: Maybe<Scalars['Float']['output']>;
  /** What is left for the patient after the payer, refunds taken off. */
  totalNet?: Maybe<Scalars['Float']['output']>;
};

export type Me = {
  departments: Array<Scalars['String']['output']>;
  /** Extra grants from the token, such as `sensitive`. */
  grants: Array<Scalars['String']['output']>;
  kind: PrincipalKind;
  mfa: Scalars['Boolean']['output'];
  /** What the caller may read, per data class, and how far (TENANT or DEPARTMENT). */
  permissions: Array<EffectivePermission>;
  /** The policy document version that produced `permissions`. */
  policyVersion: Scalars['String']['output'];
  roles: Array<Scalars['String']['output']>;
  /** SMART v2 scopes from the token; null when the token carries none (roles are then not narrowed). */
  scopes?: Maybe<Array<Scalars['String']['output']>>;
  sub: Scalars['ID']['output'];
  tenant: Scalars['String']['output'];
};

export type MedicationProposalResult = {
  /** The change request that carries the proposal (approve it with approveMedicationProposal). */
  changeRequestId?: Maybe<Scalars['ID']['output']>;
  status: MedicationProposalStatus;
  /**
   * The resource this request wrote itself (a clinician's own medication request: status WRITTEN, no change request).
   * null for a proposal: its write is made by the outbox once approved (the change request then says APPLIED, with
   * appliedAt), also when approveMedicationProposal answers WRITTEN.
   */
  write?: Maybe<EhrWriteResult>;
};

export type MedicationProposalStatus =
  /** Approved; the write is queued (it runs when write-back is open). */
  | 'APPROVED'
  | 'FAILED'
  /** Waiting for a clinician's approval. */
  | 'PENDING_APPROVAL'
  /** Written to the EHR. */
  | 'WRITTEN';

export type MedicationRequest = {
  authoredOn?: Maybe<Scalars['String']['output']>;
  dosage?: Maybe<Scalars['String']['output']>;
  id: Scalars['ID']['output'];
  medication?: Maybe<Scalars['String']['output']>;
  status?: Maybe<Scalars['String']['output']>;
};

export type MessageChannel =
  | 'EMAIL'
  | 'SMS';

export type MessageQueueCount = {
  /** Messages waiting (Communication status in-progress). */
  count: Scalars['Int']['output'];
  queue: Scalars['String']['output'];
  /** Minutes within which an item should be picked up (messaging.queueSla). */
  slaMinutes: Scalars['Int']['output'];
};

/** An inbound patient message in a work queue (its FHIR Communication). */
export type MessageQueueItem = {
  claimedAt?: Maybe<Scalars['String']['output']>;
  claimedBy?: Maybe<Scalars['String']['output']>;
  /** Why it was closed, in the closer's words: decided as `text` is. */
  closeReason?: Maybe<Scalars['String']['output']>;
  /** The triage concept that decided the queue, if any: what the words are about, decided as `text` is. */
  concept?: Maybe<Scalars['String']['output']>;
  /** receivedAt plus the queue's SLA (messaging.queueSla). */
  dueAt: Scalars['String']['output'];
  /** How often an unclaimed emergency was escalated (paged the next on-call). */
  escalationLevel: Scalars['Int']['output'];
  id: Scalars['ID']['output'];
  /** Waiting past dueAt. */
  overdue: Scalars['Boolean']['output'];
  patientId: Scalars['ID']['output'];
  /** stat for emergencies, else routine. */
  priority: Scalars['String']['output'];
  queue: Scalars['String']['output'];
  receivedAt: Scalars['String']['output'];
  status: MessageQueueItemStatus;
  /**
   * The patient's words. A clinical item's text (on-call, nurse-triage, or triaged clinical) needs `read` on
   * `observations` for the patient (rules/decide.ts): a front-desk user gets FORBIDDEN here and the rest of the item. A
   * sensitive one's (HIV, substance use, mental health) needs `read` on `sensitive` besides, except an emergency's, which
   * whoever answers on-call reads; that read is recorded as sensitive.
   */
  text?: Maybe<Scalars['String']['output']>;
  /** emergency, clinical or none. */
  triageLevel?: Maybe<Scalars['String']['output']>;
};

export type MessageQueueItemStatus =
  | 'CLAIMED'
  | 'CLOSED'
  /** Nobody has claimed it. */
  | 'WAITING';

export type MessageSendResult = {
  channel: MessageChannel;
  /** The FHIR Communication that records the message. */
  communicationId: Scalars['ID']['output'];
  /** REJECTED (recipient refused), UNAVAILABLE or TIMEOUT; null when sent. */
  failure?: Maybe<Scalars['String']['output']>;
  /** The template's language actually used (the patient's preferred language when a translation exists). */
  locale: Scalars['String']['output'];
  status: MessageSendStatus;
  templateId: Scalars['String']['output'];
};

export type MessageSendStatus =
  /** Refused or unreachable: recorded as a Communication with status not-done; `failure` says why. */
  | 'FAILED'
  /** Accepted by the channel (SMTP server or SMS provider). */
  | 'SENT';

/** Root of every change; settings.graphql (and later domains) extend it. */
export type Mutation = {
  /**
   * Approves a pending change. The final approval applies it (exactly once). FORBIDDEN with a reason (SELF_APPROVAL,
   * NOT_AN_APPROVER, MFA_REQUIRED, SAME_FUNCTION...), CONFLICT (NOT_PENDING, ALREADY_APPROVED, EXPIRED,
   * STALE_BASE_VERSION: the target moved and the change is now SUPERSEDED), NOT_FOUND for an unknown id.
   */
  approveChange?: Maybe<ChangeRequest>;
  /**
   * A clinician of the patient's department approves an agent's proposal; approved, it is written through the outbox.
   * Refused like the write itself while the write-back gate is closed, or AGENT_STOPPED while its agent is stopped.
   */
  approveMedicationProposal?: Maybe<MedicationProposalResult>;
  /** Assigns a role to someone else: a governed change owned by security (widening: HIGH, two approvers, MFA). */
  assignRole?: Maybe<ChangeResult>;
  /** Opens one patient outside the caller's departments for the policy's time (60 minutes): flagged, reviewed. */
  breakGlass?: Maybe<AccessGrant>;
  /** Withdraws a pending change; only its requester may. */
  cancelChange?: Maybe<ChangeRequest>;
  /**
   * Claims a queue item for the caller: CONFLICT (CLAIMED_BY_OTHER, CLOSED, or CHANGED when someone else won a race).
   * A clinical item can be claimed only by who may read its text.
   */
  claimMessage?: Maybe<MessageQueueItem>;
  /** Closes a claimed item with a reason (1-500 characters), audited. */
  closeMessage?: Maybe<MessageQueueItem>;
  /** Records a reviewer's decision on one grant; REVOKE ends it at once. */
  completeReview?: Maybe<AccessGrant>;
  configureConnector?: Maybe<ConfigureConnectorResult>;
  /** Stops a connector, automation or agent at once (no approval) for the roles allowed to; audited. */
  emergencyStop?: Maybe<EmergencyStop>;
  /**
   * Generates a signing key pair for SMART Backend Services (system-admin) and proposes to authenticate with it. Answers
   * the public JWKS to register at the EHR; the private key never leaves Clearance.
   */
  generateConnectorKey?: Maybe<ConnectorKeyResult>;
  /**
   * Refunds `amount` on an invoice (at most what is left on it). Up to the governed billing.refundThreshold it is
   * recorded at once; above it it waits for one finance approver (with MFA in production). Recorded in FHIR as a
   * discount line item on the Invoice, idempotent by the change id.
   * `idempotencyKey` (1-200 of A-Z a-z 0-9 . _ : -, kept 24 h per tenant, caller and operation) makes a retry safe: the
   * same key with the same request answers the first refund (its change as it stands now) and records no second one;
   * with a different request it is CONFLICT (IDEMPOTENCY_KEY_REUSED); while the first is unfinished, CONFLICT
   * (IDEMPOTENCY_KEY_IN_FLIGHT, retry later). Without a key every call is a new refund.
   */
  issueRefund?: Maybe<RefundResult>;
  /** Proposes the current STAGING value of a setting as a PRODUCTION change (production risk and rules). */
  promoteSetting?: Maybe<ChangeResult>;
  /**
   * A clinician's proposal is written at once (as a draft MedicationRequest); an agent's waits for a clinician. Both
   * meet the write-back gate first (FORBIDDEN WRITE_BACK_DISABLED, CONNECTOR_STOPPED, ...): nothing is queued while closed.
   */
  proposeMedicationRequest?: Maybe<MedicationProposalResult>;
  /** Proposes a new policy document: CRITICAL (two approvers of two functions, one of them security, with MFA). */
  proposePolicy?: Maybe<ChangeResult>;
  recordObservation?: Maybe<EhrWriteResult>;
  /** Rejects a pending change (any permitted approver, not the requester); the reason is required. */
  rejectChange?: Maybe<ChangeRequest>;
  /** Replies to the patient through the messaging channel; only the one who claimed the item (else CONFLICT NOT_CLAIMED). */
  replyToMessage?: Maybe<MessageSendResult>;
  /** Asks for a role or grant for oneself, for a limited time: enters the approval queue. */
  requestAccess?: Maybe<ChangeResult>;
  /** Resumes a stopped target: a governed change (HIGH risk in production). */
  resume?: Maybe<ChangeResult>;
  /** Revokes a role (or one grant by id): narrowing applies at once. */
  revokeRole?: Maybe<ChangeResult>;
  /** Proposes the value of an older version as a new version: a governed change with the setting's risk. */
  rollbackSetting?: Maybe<ChangeResult>;
  /** Replaces the connector's secret (system-admin). Answers only the credentials' metadata. */
  rotateConnectorSecret?: Maybe<ConnectorCredentials>;
  /** Routes a patient's inbound message to a queue (emergency rules first) and records it there. */
  routeInboundMessage?: Maybe<InboundRoute>;
  /**
   * What the current billing rules (billing.reminderCadenceDays, billing.failedPaymentEscalation) produce for which
   * accounts; with dryRun false, sends the reminders through messaging and queues the escalations, once per step.
   */
  runBillingAutomation?: Maybe<BillingAutomationRun>;
  /**
   * Sends a governed template to a patient. `variables` is an object of placeholder values; a template placeholder
   * without a value is BAD_USER_INPUT and nothing is sent. `channel` defaults to the template's channel.
   * `idempotencyKey` (1-200 of A-Z a-z 0-9 . _ : -, kept 24 h per tenant and caller) makes a retry safe: the same key
   * with the same request answers the first answer again without sending; with a different request it is CONFLICT
   * (IDEMPOTENCY_KEY_REUSED); while the first is unfinished, CONFLICT (IDEMPOTENCY_KEY_IN_FLIGHT, retry later).
   */
  sendPatientMessage?: Maybe<MessageSendResult>;
  /** Enables or disables EHR write-back of a connector: updateSetting of `integration.<connectorId>.writeBackEnabled`. */
  setWriteBack?: Maybe<ChangeResult>;
  /** Authenticates as the connector and reports each step: SMART discovery, token, /metadata, a scoped search. */
  testConnector?: Maybe<ConnectorTest>;
  /**
   * The one governed change of a setting. Decided before anything executes: APPLIED with the new version, or
   * PENDING_APPROVAL with the change request and what it needs. FORBIDDEN (NOT_AN_EDITOR) for a caller who may not
   * propose it.
   */
  updateSetting?: Maybe<ChangeResult>;
  writeBackNote?: Maybe<EhrWriteResult>;
};


/** Root of every change; settings.graphql (and later domains) extend it. */
export type MutationApproveChangeArgs = {
  comment?: InputMaybe<Scalars['String']['input']>;
  id: Scalars['ID']['input'];
};


/** Root of every change; settings.graphql (and later domains) extend it. */
export type MutationApproveMedicationProposalArgs = {
  changeId: Scalars['ID']['input'];
  comment?: InputMaybe<Scalars['String']['input']>;
};


/** Root of every change; settings.graphql (and later domains) extend it. */
export type MutationAssignRoleArgs = {
  input: AssignRoleInput;
};


/** Root of every change; settings.graphql (and later domains) extend it. */
export type MutationBreakGlassArgs = {
  patientId: Scalars['ID']['input'];
  reason: Scalars['String']['input'];
};


/** Root of every change; settings.graphql (and later domains) extend it. */
export type MutationCancelChangeArgs = {
  id: Scalars['ID']['input'];
};


/** Root of every change; settings.graphql (and later domains) extend it. */
export type MutationClaimMessageArgs = {
  id: Scalars['ID']['input'];
};


/** Root of every change; settings.graphql (and later domains) extend it. */
export type MutationCloseMessageArgs = {
  id: Scalars['ID']['input'];
  reason: Scalars['String']['input'];
};


/** Root of every change; settings.graphql (and later domains) extend it. */
export type MutationCompleteReviewArgs = {
  assignee: Scalars['String']['input'];
  comment?: InputMaybe<Scalars['String']['input']>;
  decision: ReviewDecision;
  grantId: Scalars['ID']['input'];
};


/** Root of every change; settings.graphql (and later domains) extend it. */
export type MutationConfigureConnectorArgs = {
  input: ConfigureConnectorInput;
};


/** Root of every change; settings.graphql (and later domains) extend it. */
export type MutationEmergencyStopArgs = {
  environment: Environment;
  reason: Scalars['String']['input'];
  target: Scalars['String']['input'];
};


/** Root of every change; settings.graphql (and later domains) extend it. */
export type MutationGenerateConnectorKeyArgs = {
  algorithm?: InputMaybe<ConnectorKeyAlgorithm>;
  clientId?: InputMaybe<Scalars['String']['input']>;
  connectorId: Scalars['String']['input'];
  environment: Environment;
  reason?: InputMaybe<Scalars['String']['input']>;
  ticket?: InputMaybe<Scalars['String']['input']>;
};


/** Root of every change; settings.graphql (and later domains) extend it. */
export type MutationIssueRefundArgs = {
  amount: Scalars['Float']['input'];
  idempotencyKey?: InputMaybe<Scalars['String']['input']>;
  invoiceId: Scalars['ID']['input'];
  reason: Scalars['String']['input'];
};


/** Root of every change; settings.graphql (and later domains) extend it. */
export type MutationPromoteSettingArgs = {
  key: Scalars['String']['input'];
  reason?: InputMaybe<Scalars['String']['input']>;
  ticket?: InputMaybe<Scalars['String']['input']>;
};


/** Root of every change; settings.graphql (and later domains) extend it. */
export type MutationProposeMedicationRequestArgs = {
  input: ProposeMedicationRequestInput;
  patientId: Scalars['ID']['input'];
};


/** Root of every change; settings.graphql (and later domains) extend it. */
export type MutationProposePolicyArgs = {
  document: Scalars['JSON']['input'];
  reason: Scalars['String']['input'];
  ticket?: InputMaybe<Scalars['String']['input']>;
};


/** Root of every change; settings.graphql (and later domains) extend it. */
export type MutationRecordObservationArgs = {
  input: RecordObservationInput;
  patientId: Scalars['ID']['input'];
};


/** Root of every change; settings.graphql (and later domains) extend it. */
export type MutationRejectChangeArgs = {
  id: Scalars['ID']['input'];
  reason: Scalars['String']['input'];
};


/** Root of every change; settings.graphql (and later domains) extend it. */
export type MutationReplyToMessageArgs = {
  channel?: InputMaybe<MessageChannel>;
  id: Scalars['ID']['input'];
  text: Scalars['String']['input'];
};


/** Root of every change; settings.graphql (and later domains) extend it. */
export type MutationRequestAccessArgs = {
  input: RequestAccessInput;
};


/** Root of every change; settings.graphql (and later domains) extend it. */
export type MutationResumeArgs = {
  environment: Environment;
  reason?: InputMaybe<Scalars['String']['input']>;
  target: Scalars['String']['input'];
  ticket?: InputMaybe<Scalars['String']['input']>;
};


/** Root of every change; settings.graphql (and later domains) extend it. */
export type MutationRevokeRoleArgs = {
  assignedRole?: InputMaybe<Scalars['String']['input']>;
  assignee: Scalars['String']['input'];
  grantId?: InputMaybe<Scalars['ID']['input']>;
  reason: Scalars['String']['input'];
};


/** Root of every change; settings.graphql (and later domains) extend it. */
export type MutationRollbackSettingArgs = {
  environment: Environment;
  key: Scalars['String']['input'];
  reason?: InputMaybe<Scalars['String']['input']>;
  ticket?: InputMaybe<Scalars['String']['input']>;
  toVersion: Scalars['Int']['input'];
};


/** Root of every change; settings.graphql (and later domains) extend it. */
export type MutationRotateConnectorSecretArgs = {
  clientId?: InputMaybe<Scalars['String']['input']>;
  clientSecret: Scalars['String']['input'];
  connectorId: Scalars['String']['input'];
  environment: Environment;
  reason?: InputMaybe<Scalars['String']['input']>;
  ticket?: InputMaybe<Scalars['String']['input']>;
};


/** Root of every change; settings.graphql (and later domains) extend it. */
export type MutationRouteInboundMessageArgs = {
  patientId: Scalars['ID']['input'];
  text: Scalars['String']['input'];
};


/** Root of every change; settings.graphql (and later domains) extend it. */
export type MutationRunBillingAutomationArgs = {
  dryRun?: Scalars['Boolean']['input'];
};


/** Root of every change; settings.graphql (and later domains) extend it. */
export type MutationSendPatientMessageArgs = {
  channel?: InputMaybe<MessageChannel>;
  idempotencyKey?: InputMaybe<Scalars['String']['input']>;
  patientId: Scalars['ID']['input'];
  templateId: Scalars['String']['input'];
  variables?: InputMaybe<Scalars['JSON']['input']>;
};


/** Root of every change; settings.graphql (and later domains) extend it. */
export type MutationSetWriteBackArgs = {
  connectorId: Scalars['String']['input'];
  enabled: Scalars['Boolean']['input'];
  environment: Environment;
  expectedVersion?: InputMaybe<Scalars['Int']['input']>;
  reason?: InputMaybe<Scalars['String']['input']>;
  ticket?: InputMaybe<Scalars['String']['input']>;
};


/** Root of every change; settings.graphql (and later domains) extend it. */
export type MutationTestConnectorArgs = {
  connectorId: Scalars['String']['input'];
  environment: Environment;
};


/** Root of every change; settings.graphql (and later domains) extend it. */
export type MutationUpdateSettingArgs = {
  input: UpdateSettingInput;
};


/** Root of every change; settings.graphql (and later domains) extend it. */
export type MutationWriteBackNoteArgs = {
  input: WriteBackNoteInput;
  patientId: Scalars['ID']['input'];
};

/** An object that can be fetched by global id. Rules live on the concrete types, never here. */
export type Node = {
  id: Scalars['ID']['output'];
};

export type NoteKind =
  | 'DIAGNOSTIC_REPORT'
  | 'DOCUMENT_REFERENCE';

export type Observation = {
  category?: Maybe<Scalars['String']['output']>;
  code?: Maybe<Scalars['String']['output']>;
  display?: Maybe<Scalars['String']['output']>;
  effectiveDate?: Maybe<Scalars['String']['output']>;
  id: Scalars['ID']['output'];
  unit?: Maybe<Scalars['String']['output']>;
  value?: Maybe<Scalars['String']['output']>;
};

/** Relay's PageInfo (https://relay.dev/graphql/connections.htm#sec-undefined.PageInfo). */
export type PageInfo = {
  endCursor?: Maybe<Scalars['String']['output']>;
  hasNextPage: Scalars['Boolean']['output'];
  hasPreviousPage: Scalars['Boolean']['output'];
  startCursor?: Maybe<Scalars['String']['output']>;
};

export type Patient = Node & {
  /** What the patient owes: the issued (open) invoices' totalNet, refunds taken off. */
  accountBalance?: Maybe<AccountBalance>;
  address?: Maybe<Array<Address>>;
  allergies?: Maybe<Array<AllergyIntolerance>>;
  birthDate?: Maybe<Scalars['String']['output']>;
  carePlans?: Maybe<Array<CarePlan>>;
  claims?: Maybe<Array<Claim>>;
  conditions?: Maybe<Array<Condition>>;
  coverage?: Maybe<Array<Coverage>>;
  /** The department whose record this is (from Patient.managingOrganization). */
  department?: Maybe<Scalars['String']['output']>;
  encounters?: Maybe<Array<Encounter>>;
  explanationOfBenefits?: Maybe<Array<ExplanationOfBenefit>>;
  gender?: Maybe<Scalars['String']['output']>;
  id: Scalars['ID']['output'];
  immunizations?: Maybe<Array<Immunization>>;
  /** FHIR Invoices of the patient, newest first. */
  invoices?: Maybe<Array<Invoice>>;
  medications?: Maybe<Array<MedicationRequest>>;
  /** Medical record number: last four only unless the caller holds the identifiers grant. */
  mrn?: Maybe<Scalars['String']['output']>;
  name?: Maybe<Scalars['String']['output']>;
  notes?: Maybe<Array<ClinicalNote>>;
  observations?: Maybe<Array<Observation>>;
  /** Social security number: last four only unless the caller holds the identifiers grant. */
  ssn?: Maybe<Scalars['String']['output']>;
  telecom?: Maybe<Array<ContactPoint>>;
};


export type PatientObservationsArgs = {
  code?: InputMaybe<Scalars['String']['input']>;
  count?: InputMaybe<Scalars['Int']['input']>;
};

export type PatientConnection = {
  edges?: Maybe<Array<PatientEdge>>;
  pageInfo?: Maybe<PageInfo>;
};

export type PatientEdge = {
  cursor: Scalars['String']['output'];
  node?: Maybe<Patient>;
};

export type PatientStatistics = {
  byAgeBand?: Maybe<Array<StatisticsBucket>>;
  byGender?: Maybe<Array<StatisticsBucket>>;
  /** Cells smaller than this are suppressed. */
  suppressionThreshold?: Maybe<Scalars['Int']['output']>;
  total?: Maybe<Scalars['Int']['output']>;
};

export type PermissionScope =
  | 'DEPARTMENT'
  | 'TENANT';

export type PolicyVersion = {
  at?: Maybe<Scalars['DateTime']['output']>;
  changeId?: Maybe<Scalars['ID']['output']>;
  changedBy?: Maybe<Scalars['String']['output']>;
  policyVersion: Scalars['String']['output'];
  /** 0: the built-in default document. */
  version: Scalars['Int']['output'];
};

export type PrincipalKind =
  | 'AGENT'
  | 'SERVICE'
  | 'USER';

export type ProposeMedicationRequestInput = {
  dosage: Scalars['String']['input'];
  /**
   * The same rules as WriteBackNoteInput.idempotencyKey (1-200 characters, 24 h per tenant, caller and operation); a
   * replayed proposal answers its change request as it stands now.
   */
  idempotencyKey: Scalars['String']['input'];
  medication: Scalars['String']['input'];
  /** For an agent: the prompt template and version it drafted with (`triage@3`), recorded in the Provenance. */
  promptTemplateVersion?: InputMaybe<Scalars['String']['input']>;
  reason?: InputMaybe<Scalars['String']['input']>;
  rxnorm?: InputMaybe<Scalars['String']['input']>;
};

export type Query = {
  /** Someone's assignments and grants (security and compliance). */
  accessOf: Array<AccessGrant>;
  /** Grants unused for `staleDays`, past their department, and break-glass uses awaiting review. */
  accessReview: Array<AccessReviewItem>;
  /**
   * Audit events of the caller's tenant, newest first. `first` is at most 200. A page may hold fewer than `first`
   * events with `hasNextPage` true when a selective filter had to scan a long stretch of the log: follow `endCursor`.
   */
  auditEvents?: Maybe<AuditEventConnection>;
  /**
   * The same events as `auditEvents` (same filter, newest first, archive and hot window as one log), as a Relay
   * connection: `first`/`after` pages forward (older), `last`/`before` backward (newer). Cursors are signed positions in
   * the log: one that this field did not return (or that was edited) is BAD_USER_INPUT. `first` and `last` are at
   * most 200 (default `first: 50`). A selective filter may give a short page with hasNextPage (or hasPreviousPage)
   * true when a page had to scan a long stretch of the log: follow endCursor (or startCursor).
   */
  auditEventsConnection?: Maybe<AuditEventConnection>;
  /**
   * Verifies the caller's tenant's log (archive and hot window as one): every record's hash, every chain link, every
   * signed checkpoint, read in pages. `fromCheckpoint` resumes after the signed mark the last successful verify left.
   */
  auditVerify?: Maybe<AuditVerification>;
  /**
   * A change request of the caller's tenant; null when there is none (the same answer for another tenant's id).
   * Configuration readers open any; anyone opens the changes they asked for and those they can act on now (the same
   * decision as `actionable`); otherwise FORBIDDEN.
   */
  changeRequest?: Maybe<ChangeRequest>;
  /**
   * Change requests of the caller's tenant, newest first; EXPIRED includes pending changes past their expiry. Needs
   * configuration read, except with `actionable: true`: then only the pending changes the caller can act on now (give
   * the next counted approval, or reject), for anyone, e.g. a clinician's medication proposals of their departments;
   * and with `mine: true`: the changes the caller asked for, in any status (a refund or proposal that FAILED to apply
   * says so here, with failureReason), for anyone.
   */
  changeRequests?: Maybe<Array<ChangeRequest>>;
  /**
   * The same change requests as `changeRequests` (same filter), as a Relay connection: `first`/`after` pages forward,
   * `last`/`before` backward, newest first. Cursors are opaque and signed: a cursor that was not returned by this field
   * (or was edited) is BAD_USER_INPUT. `first` and `last` are at most 200; `totalCount` is null past 1000 matches.
   */
  changeRequestsConnection?: Maybe<ChangeRequestConnection>;
  connector?: Maybe<Connector>;
  /** Circuit and rolling health of each outbound connector (EHR reads and writes combined, SMTP, SMS) in this gateway process. */
  connectorHealth?: Maybe<Array<ConnectorHealth>>;
  /** Connectors of the caller's tenant in an environment (ehr, and every id with a stored integration setting). */
  connectors?: Maybe<Array<Connector>>;
  /**
   * Can I do this, and why (not)? Decided by the same functions the action itself uses, without trying. Actions:
   * `read:<dataClass>` (resource.patientId: of that patient; `read:configuration`: of `environment`), `write:notes`,
   * `write:observations`, `medication:request`,
   * `message:send`, `message:route` (resource.patientId), `refund:issue` (resource.invoiceId and amount),
   * `setting:update:<key>` (in `environment`),
   * `change:approve:<changeId>`, `stop:<target>` (stop:connector:ehr), `resume:<target>`, `role:assign:<role>`
   * (resource.assignee: for whom), `access:request:<role, grant or permission>` (a permission such as read:identifiers
   * is asked for as the grant requestAccess(permission:) asks for), `policy:update`, `break-glass` (resource.patientId).
   * `at`: answer with the policy and the caller's assignments in force at that time (data-class reads only).
   */
  explain: Explanation;
  /**
   * Would `type.field` be returned to me (for that patient; for a row of the patient's record, `rowId`: that row, which
   * may be sensitive)? The kernel's field decision (rules/field-decision.ts): the one the read itself makes, mask included.
   * A configuration field (Query.settings) answers for some environment: `explain(action: "read:configuration",
   * environment:)` answers for one.
   */
  explainField: Explanation;
  /** The verified caller: identity comes only from the bearer token, never from arguments. */
  me: Me;
  /** The open items of a queue (on-call, nurse-triage, front-desk, billing): emergencies first, then oldest first; `first` at most 100. */
  messageQueue?: Maybe<Array<MessageQueueItem>>;
  /** Waiting inbound messages per queue. */
  messageQueues?: Maybe<Array<MessageQueueCount>>;
  /** The caller's own assignments, grants and break-glass uses. */
  myAccess: Array<AccessGrant>;
  /** The caller's access requests, any status: pending, applied, rejected, expired. */
  myAccessRequests: Array<ChangeRequest>;
  /** Look up a patient-record object by its global id, `<ResourceType>/<id>` (Patient or Encounter). */
  node?: Maybe<Node>;
  /** A patient of the caller's tenant; null when there is none (the same answer for another tenant's id). */
  patient?: Maybe<Patient>;
  /** Anonymized counts for analysts; cells under the suppression threshold come back as null. */
  patientStatistics?: Maybe<PatientStatistics>;
  /**
   * Patients of the caller's tenant; `first` defaults to config `DEFAULT_PAGE_SIZE` and is capped at `MAX_PAGE_SIZE`.
   * `department` (a department code, e.g. `cardiology`) lists only that department's patients: a clinician asks for
   * their own and gets no FORBIDDEN for rows of other departments.
   */
  patients?: Maybe<PatientConnection>;
  /** What changed in the policy document between two stored versions (0: the built-in default). */
  policyDiff: Array<DiffEntry>;
  /** Every stored version of the tenant's policy document (version 0 is the built-in default). */
  policyVersions: Array<PolicyVersion>;
  /** One setting. NOT_FOUND for a key that is not in the catalog. */
  setting?: Maybe<Setting>;
  /** What changed between two versions of a setting (either order; 0 is the catalog default). */
  settingDiff?: Maybe<SettingDiff>;
  /** Every stored version of a setting, oldest first (version 0, the catalog default, is never stored). */
  settingHistory?: Maybe<Array<SettingVersion>>;
  /**
   * The settings of an environment, optionally of one category: every fixed setting of the catalog, every keyed
   * setting that was ever set (a prompt template, a connector's settings) and the settings of the built-in `ehr`
   * connector. Sorted by key.
   */
  settings?: Maybe<Array<Setting>>;
  /**
   * Every setting of an environment with the caller's lock, approval path and status badge. Nullable, as `settings`: a
   * refusal (another environment's configuration) nulls this field only, not the whole answer.
   */
  settingsCatalog?: Maybe<Array<CatalogSetting>>;
  /** The stop state of one target: `connector:<id>`, `automation:billing`, `automation:messaging` or `agent:<id>`. */
  stopState?: Maybe<EmergencyStop>;
  /** Every target that was ever stopped in an environment, with its state now. */
  stopStates?: Maybe<Array<EmergencyStop>>;
};


export type QueryAccessOfArgs = {
  assignee: Scalars['String']['input'];
};


export type QueryAccessReviewArgs = {
  staleDays?: Scalars['Int']['input'];
};


export type QueryAuditEventsArgs = {
  after?: InputMaybe<Scalars['String']['input']>;
  filter?: InputMaybe<AuditEventFilter>;
  first?: InputMaybe<Scalars['Int']['input']>;
};


export type QueryAuditEventsConnectionArgs = {
  after?: InputMaybe<Scalars['String']['input']>;
  before?: InputMaybe<Scalars['String']['input']>;
  filter?: InputMaybe<AuditEventFilter>;
  first?: InputMaybe<Scalars['Int']['input']>;
  last?: InputMaybe<Scalars['Int']['input']>;
};


export type QueryAuditVerifyArgs = {
  fromCheckpoint?: InputMaybe<Scalars['Boolean']['input']>;
};


export type QueryChangeRequestArgs = {
  id: Scalars['ID']['input'];
};


export type QueryChangeRequestsArgs = {
  actionable?: InputMaybe<Scalars['Boolean']['input']>;
  category?: InputMaybe<SettingCategory>;
  environment?: InputMaybe<Environment>;
  first?: InputMaybe<Scalars['Int']['input']>;
  mine?: InputMaybe<Scalars['Boolean']['input']>;
  status?: InputMaybe<ChangeStatus>;
};


export type QueryChangeRequestsConnectionArgs = {
  actionable?: InputMaybe<Scalars['Boolean']['input']>;
  after?: InputMaybe<Scalars['String']['input']>;
  before?: InputMaybe<Scalars['String']['input']>;
  category?: InputMaybe<SettingCategory>;
  environment?: InputMaybe<Environment>;
  first?: InputMaybe<Scalars['Int']['input']>;
  last?: InputMaybe<Scalars['Int']['input']>;
  mine?: InputMaybe<Scalars['Boolean']['input']>;
  status?: InputMaybe<ChangeStatus>;
};


export type QueryConnectorArgs = {
  environment: Environment;
  id: Scalars['ID']['input'];
};


export type QueryConnectorsArgs = {
  environment: Environment;
};


export type QueryExplainArgs = {
  action: Scalars['String']['input'];
  at?: InputMaybe<Scalars['DateTime']['input']>;
  environment?: InputMaybe<Environment>;
  resource?: InputMaybe<ExplainResource>;
};


export type QueryExplainFieldArgs = {
  field: Scalars['String']['input'];
  patientId?: InputMaybe<Scalars['ID']['input']>;
  rowId?: InputMaybe<Scalars['ID']['input']>;
  type: Scalars['String']['input'];
};


export type QueryMessageQueueArgs = {
  first?: InputMaybe<Scalars['Int']['input']>;
  queue: Scalars['String']['input'];
};


export type QueryNodeArgs = {
  id: Scalars['ID']['input'];
};


export type QueryPatientArgs = {
  id: Scalars['ID']['input'];
};


export type QueryPatientsArgs = {
  after?: InputMaybe<Scalars['String']['input']>;
  department?: InputMaybe<Scalars['String']['input']>;
  first?: InputMaybe<Scalars['Int']['input']>;
  name?: InputMaybe<Scalars['String']['input']>;
};


export type QueryPolicyDiffArgs = {
  from: Scalars['Int']['input'];
  to: Scalars['Int']['input'];
};


export type QuerySettingArgs = {
  environment: Environment;
  key: Scalars['String']['input'];
};


export type QuerySettingDiffArgs = {
  environment: Environment;
  fromVersion: Scalars['Int']['input'];
  key: Scalars['String']['input'];
  toVersion: Scalars['Int']['input'];
};


export type QuerySettingHistoryArgs = {
  environment: Environment;
  key: Scalars['String']['input'];
};


export type QuerySettingsArgs = {
  category?: InputMaybe<SettingCategory>;
  environment: Environment;
};


export type QuerySettingsCatalogArgs = {
  environment: Environment;
};


export type QueryStopStateArgs = {
  environment: Environment;
  target: Scalars['String']['input'];
};


export type QueryStopStatesArgs = {
  environment: Environment;
};

export type RecordObservationInput = {
  /** LOINC code, e.g. 8867-4 (heart rate). */
  code: Scalars['String']['input'];
  display: Scalars['String']['input'];
  /** When it was measured (default: now). */
  effective?: InputMaybe<Scalars['DateTime']['input']>;
  /** The same rules as WriteBackNoteInput.idempotencyKey (1-200 characters, 24 h per tenant, caller and operation). */
  idempotencyKey: Scalars['String']['input'];
  /** UCUM unit, e.g. /min. */
  unit: Scalars['String']['input'];
  value: Scalars['Float']['input'];
};

export type RefundResult = {
  amount: Scalars['Float']['output'];
  /** The governed change that carries the refund (every refund is one, for its audit trail). */
  changeRequestId: Scalars['ID']['output'];
  currency: Scalars['String']['output'];
  invoiceId: Scalars['ID']['output'];
  status: RefundStatus;
  /** billing.refundThreshold when the refund was asked; above it a finance approver decides. */
  threshold: Scalars['Float']['output'];
};

export type RefundStatus =
  /** Recorded on the invoice (at or under billing.refundThreshold, or approved). */
  | 'APPLIED'
  /** Approved; being recorded through the outbox (it retries until the FHIR server takes it). */
  | 'APPROVED'
  /** Its requester cancelled it before a decision: nothing was refunded. */
  | 'CANCELLED'
  /** Nobody decided before its approval window closed: nothing was refunded. */
  | 'EXPIRED'
  /** Approved, but recording it failed after the outbox's last attempt: nothing was refunded. */
  | 'FAILED'
  /** Above the threshold: waiting for a finance approver (approveChange on changeRequestId). */
  | 'PENDING_APPROVAL'
  /** A finance approver rejected it: nothing was refunded (a replayed idempotencyKey answers this). */
  | 'REJECTED'
  /** Replaced by a later change before a decision: nothing was refunded by this one. */
  | 'SUPERSEDED';

export type Rejection = {
  at: Scalars['DateTime']['output'];
  functions: Array<Scalars['String']['output']>;
  reason: Scalars['String']['output'];
  sub: Scalars['String']['output'];
};

export type RequestAccessInput = {
  /** How long the grant lasts, counted from the approval that applies it (grantedAt is then, expiresAt then + this). */
  durationMinutes: Scalars['Int']['input'];
  justification: Scalars['String']['input'];
  permission?: InputMaybe<Scalars['String']['input']>;
  requestedGrant?: InputMaybe<Scalars['String']['input']>;
  /** Exactly one of requestedRole, requestedGrant, permission (`read:<dataClass>`: the policy grant carrying it). */
  requestedRole?: InputMaybe<Scalars['String']['input']>;
  scopeDepartments?: InputMaybe<Array<Scalars['String']['input']>>;
  ticket?: InputMaybe<Scalars['String']['input']>;
};

/** A ready `requestAccess` input for what is missing (add a justification and send it). */
export type RequestAccessTemplate = {
  durationMinutes: Scalars['Int']['output'];
  justification: Scalars['String']['output'];
  requestedGrant?: Maybe<Scalars['String']['output']>;
  requestedRole?: Maybe<Scalars['String']['output']>;
  scopeDepartments?: Maybe<Array<Scalars['String']['output']>>;
};

export type ReviewDecision =
  | 'KEEP'
  | 'REVOKE';

/** Risk of a change; it decides which approvals the change needs (approval rules are per environment). */
export type Risk =
  | 'CRITICAL'
  | 'HIGH'
  | 'LOW'
  | 'MEDIUM';

export type Setting = {
  category: SettingCategory;
  description: Scalars['String']['output'];
  environment: Environment;
  key: Scalars['String']['output'];
  /** The function that owns the setting; one approval of a HIGH production change must come from it. */
  ownerFunction: Scalars['String']['output'];
  /** The newest open (PENDING or APPROVED) change of this setting, if any. */
  pendingChange?: Maybe<ChangeRequest>;
  /** Every open change of this setting, newest first. */
  pendingChanges: Array<ChangeRequest>;
  /** Risk of a change of this setting in this environment. */
  risk: Risk;
  updatedAt?: Maybe<Scalars['DateTime']['output']>;
  /** Who proposed the change that produced the current version. */
  updatedBy?: Maybe<Scalars['String']['output']>;
  /** The current value (the catalog default at version 0). */
  value?: Maybe<Scalars['JSON']['output']>;
  /** 0 while the setting has its catalog default. */
  version: Scalars['Int']['output'];
};

/** The category of a setting; each has an owner function (clinical, technical, finance, operations, security). */
export type SettingCategory =
  | 'ACCESS'
  | 'AI_BEHAVIOR'
  | 'AUDIT'
  | 'BILLING_AUTOMATION'
  | 'INTEGRATION'
  | 'MESSAGING';

export type SettingDiff = {
  entries: Array<DiffEntry>;
  environment: Environment;
  fromVersion: Scalars['Int']['output'];
  key: Scalars['String']['output'];
  toVersion: Scalars['Int']['output'];
};

/** What a frontend shows next to a setting: Active, Pending review (approvals missing), Approved (being applied). */
export type SettingStatus =
  | 'ACTIVE'
  | 'APPROVED'
  /** Never changed: the catalog default. */
  | 'DEFAULT'
  | 'PENDING_REVIEW';

export type SettingVersion = {
  at: Scalars['DateTime']['output'];
  /** The change request that wrote this version: its approval trail is on the change. */
  changeId?: Maybe<Scalars['ID']['output']>;
  /** Who proposed the change that wrote this version. */
  changedBy: Scalars['String']['output'];
  environment: Environment;
  key: Scalars['String']['output'];
  reason?: Maybe<Scalars['String']['output']>;
  value?: Maybe<Scalars['JSON']['output']>;
  version: Scalars['Int']['output'];
};

export type StatisticsBucket = {
  count?: Maybe<Scalars['Int']['output']>;
  label: Scalars['String']['output'];
  suppressed: Scalars['Boolean']['output'];
};

export type Subscription = {
  /**
   * Changes the caller can act on (give the next counted approval): an event with `actionable: true` when a change
   * becomes actionable for the caller (or moves while it is), and one with `actionable: false` when a change the caller
   * could act on no longer is (approved by others, applied, rejected, expired, superseded, withdrawn).
   */
  actionableChanges: ChangeEvent;
  /** Every change of the caller's tenant as it moves: proposed, approved (each counted approval), rejected, applied... */
  changeEvents: ChangeEvent;
};

export type Supersession = {
  at: Scalars['DateTime']['output'];
  /** The target's version when the change was found stale. */
  currentVersion: Scalars['Int']['output'];
  /**
   * The requester's newer proposal on the same target that replaced this one (a requester keeps one open proposal per
   * target); null when the change ended because its target moved.
   */
  replacedBy?: Maybe<Scalars['ID']['output']>;
};

/** One mention the triage classifier found in a message: the concept, the words, and what qualified them. */
export type TriageFinding = {
  /** A concept of messaging.triageLexicon (chest-pain, self-harm, clinical...) or an emergency rule (`emergency[0]`). */
  concept: Scalars['String']['output'];
  /** The cue that negated, resolved or dated the mention (`no`, `went away`, `years ago`). */
  cue?: Maybe<Scalars['String']['output']>;
  /** The language of the term that matched (en, es) or `rule`. */
  language: Scalars['String']['output'];
  /** emergency or clinical. */
  level: Scalars['String']['output'];
  /** affirmed, negated, resolved or historical: only an affirmed emergency pages on-call. */
  status: Scalars['String']['output'];
  /** The lexicon term, and the message's words it matched (normalised). */
  term: Scalars['String']['output'];
  words: Scalars['String']['output'];
};

export type UpdateSettingInput = {
  environment: Environment;
  /** Optimistic concurrency: refused with CONFLICT (STALE_VERSION) when the setting is no longer at this version. */
  expectedVersion?: InputMaybe<Scalars['Int']['input']>;
  key: Scalars['String']['input'];
  /** Why: required from MEDIUM risk upward. */
  reason?: InputMaybe<Scalars['String']['input']>;
  /** A ticket or change reference, recorded with the change. */
  ticket?: InputMaybe<Scalars['String']['input']>;
  /** The new value; validated against the setting's type (a bad value names the field, e.g. `value.threshold`). */
  value?: InputMaybe<Scalars['JSON']['input']>;
};

export type WriteBackNoteInput = {
  /**
   * Updates this DocumentReference instead of creating one; `expectedVersion` is then required. A FHIR id (1-64 of
   * A-Z a-z 0-9 - .; else BAD_USER_INPUT, reason INVALID_ID). The stored note is read first and decided as stored: a
   * note the caller may not read (sensitive without the grant, another department), may not write, or of another
   * patient than `patientId` (a write never moves a note to another patient) is NOT_FOUND exactly as an unknown id,
   * nothing is written and the refusal is audited.
   */
  documentId?: InputMaybe<Scalars['ID']['input']>;
  /** The version read (sent as If-Match): 1-64 of A-Z a-z 0-9 - .; else BAD_USER_INPUT, reason INVALID_VERSION_ID. */
  expectedVersion?: InputMaybe<Scalars['String']['input']>;
  /** false (default): a preliminary note for review; true: final. */
  final?: InputMaybe<Scalars['Boolean']['input']>;
  /**
   * 1-200 of A-Z a-z 0-9 . _ : -, kept 24 h per tenant, caller and operation; never stored in clear. The same key with
   * the same request answers the first answer again (`created: false`) without writing; with a different request
   * (another patient, text or target) it is CONFLICT (IDEMPOTENCY_KEY_REUSED) and nothing is written; while the first
   * is unfinished, CONFLICT (IDEMPOTENCY_KEY_IN_FLIGHT, retry later).
   */
  idempotencyKey: Scalars['String']['input'];
  text: Scalars['String']['input'];
  title: Scalars['String']['input'];
};

export type ConsoleMeQueryVariables = Exact<{ [key: string]: never; }>;


export type ConsoleMeQuery = { me: { sub: string, tenant: string, roles: Array<string>, departments: Array<string>, mfa: boolean } };

export type ConsoleInboxQueryVariables = Exact<{
  status?: InputMaybe<ChangeStatus>;
  environment?: InputMaybe<Environment>;
  category?: InputMaybe<SettingCategory>;
  actionable?: InputMaybe<Scalars['Boolean']['input']>;
}>;


export type ConsoleInboxQuery = { changeRequests?: Array<{ id: string, status: ChangeStatus, environment: Environment, category: SettingCategory, risk: Risk, key?: string | null, targetType: ChangeTargetType, targetKey: string, stopTarget?: string | null, reason?: string | null, ticket?: string | null, before?: unknown | null, after?: unknown | null, viewerCanApprove: boolean, viewerCannotApproveReason?: string | null, createdAt: string, expiresAt: string, requester: { sub: string, roles: Array<string> }, approvalStatus: { summary: string } }> | null };

export type ConsoleInboxFieldsFragment = { id: string, status: ChangeStatus, environment: Environment, category: SettingCategory, risk: Risk, key?: string | null, targetType: ChangeTargetType, targetKey: string, stopTarget?: string | null, reason?: string | null, ticket?: string | null, before?: unknown | null, after?: unknown | null, viewerCanApprove: boolean, viewerCannotApproveReason?: string | null, createdAt: string, expiresAt: string, requester: { sub: string, roles: Array<string> }, approvalStatus: { summary: string } };

export type ConsoleChangeFieldsFragment = { id: string, status: ChangeStatus, environment: Environment, category: SettingCategory, ownerFunction: string, risk: Risk, key?: string | null, targetType: ChangeTargetType, targetKey: string, stopTarget?: string | null, reason?: string | null, ticket?: string | null, baseVersion: number, before?: unknown | null, after?: unknown | null, approverFunctions: Array<string>, viewerCanApprove: boolean, viewerCannotApproveReason?: string | null, viewerCannotApproveCode?: string | null, viewerCanReject: boolean, createdAt: string, expiresAt: string, updatedAt: string, appliedVersion?: number | null, appliedAt?: string | null, expiredAt?: string | null, failureReason?: string | null, textsWithheld: boolean, origin: { type: ChangeOriginType, toVersion?: number | null, fromEnvironment?: Environment | null, fromVersion?: number | null }, diff: Array<{ path: string, op: DiffOp, before?: unknown | null, after?: unknown | null }>, requester: { sub: string, roles: Array<string>, functions: Array<string>, kind: PrincipalKind }, requirement: { requiredApprovals: number, distinctFunctions: boolean, ownerFunctionRequired: boolean, mfaRequired: boolean, requiredFunction?: string | null }, approvals: Array<{ sub: string, roleUsed: string, functions: Array<string>, mfa: boolean, comment?: string | null, at: string }>, approvalStatus: { satisfied: boolean, remaining: number, stillNeededFrom: Array<string>, summary: string }, rejection?: { sub: string, functions: Array<string>, reason: string, at: string } | null, cancellation?: { sub: string, at: string } | null, superseded?: { currentVersion: number, at: string, replacedBy?: string | null } | null };

export type ConsoleChangeQueryVariables = Exact<{
  id: Scalars['ID']['input'];
}>;


export type ConsoleChangeQuery = { changeRequest?: { id: string, status: ChangeStatus, environment: Environment, category: SettingCategory, ownerFunction: string, risk: Risk, key?: string | null, targetType: ChangeTargetType, targetKey: string, stopTarget?: string | null, reason?: string | null, ticket?: string | null, baseVersion: number, before?: unknown | null, after?: unknown | null, approverFunctions: Array<string>, viewerCanApprove: boolean, viewerCannotApproveReason?: string | null, viewerCannotApproveCode?: string | null, viewerCanReject: boolean, createdAt: string, expiresAt: string, updatedAt: string, appliedVersion?: number | null, appliedAt?: string | null, expiredAt?: string | null, failureReason?: string | null, textsWithheld: boolean, origin: { type: ChangeOriginType, toVersion?: number | null, fromEnvironment?: Environment | null, fromVersion?: number | null }, diff: Array<{ path: string, op: DiffOp, before?: unknown | null, after?: unknown | null }>, requester: { sub: string, roles: Array<string>, functions: Array<string>, kind: PrincipalKind }, requirement: { requiredApprovals: number, distinctFunctions: boolean, ownerFunctionRequired: boolean, mfaRequired: boolean, requiredFunction?: string | null }, approvals: Array<{ sub: string, roleUsed: string, functions: Array<string>, mfa: boolean, comment?: string | null, at: string }>, approvalStatus: { satisfied: boolean, remaining: number, stillNeededFrom: Array<string>, summary: string }, rejection?: { sub: string, functions: Array<string>, reason: string, at: string } | null, cancellation?: { sub: string, at: string } | null, superseded?: { currentVersion: number, at: string, replacedBy?: string | null } | null } | null };

export type ConsoleActionableQueryVariables = Exact<{
  after?: InputMaybe<Scalars['String']['input']>;
}>;


export type ConsoleActionableQuery = { changeRequestsConnection?: { edges?: Array<{ node?: { id: string, status: ChangeStatus, environment: Environment, category: SettingCategory, ownerFunction: string, risk: Risk, key?: string | null, targetType: ChangeTargetType, targetKey: string, stopTarget?: string | null, reason?: string | null, ticket?: string | null, baseVersion: number, before?: unknown | null, after?: unknown | null, approverFunctions: Array<string>, viewerCanApprove: boolean, viewerCannotApproveReason?: string | null, viewerCannotApproveCode?: string | null, viewerCanReject: boolean, createdAt: string, expiresAt: string, updatedAt: string, appliedVersion?: number | null, appliedAt?: string | null, expiredAt?: string | null, failureReason?: string | null, textsWithheld: boolean, origin: { type: ChangeOriginType, toVersion?: number | null, fromEnvironment?: Environment | null, fromVersion?: number | null }, diff: Array<{ path: string, op: DiffOp, before?: unknown | null, after?: unknown | null }>, requester: { sub: string, roles: Array<string>, functions: Array<string>, kind: PrincipalKind }, requirement: { requiredApprovals: number, distinctFunctions: boolean, ownerFunctionRequired: boolean, mfaRequired: boolean, requiredFunction?: string | null }, approvals: Array<{ sub: string, roleUsed: string, functions: Array<string>, mfa: boolean, comment?: string | null, at: string }>, approvalStatus: { satisfied: boolean, remaining: number, stillNeededFrom: Array<string>, summary: string }, rejection?: { sub: string, functions: Array<string>, reason: string, at: string } | null, cancellation?: { sub: string, at: string } | null, superseded?: { currentVersion: number, at: string, replacedBy?: string | null } | null } | null }> | null, pageInfo?: { hasNextPage: boolean, endCursor?: string | null } | null } | null };

export type ConsoleApproveMedicationMutationVariables = Exact<{
  id: Scalars['ID']['input'];
  comment?: InputMaybe<Scalars['String']['input']>;
}>;


export type ConsoleApproveMedicationMutation = { approveMedicationProposal?: { status: MedicationProposalStatus, changeRequestId?: string | null } | null };

export type ConsoleCancelMutationVariables = Exact<{
  id: Scalars['ID']['input'];
}>;


export type ConsoleCancelMutation = { cancelChange?: { id: string, status: ChangeStatus } | null };

export type ConsoleChangeEventsSubscriptionVariables = Exact<{ [key: string]: never; }>;


export type ConsoleChangeEventsSubscription = { changeEvents: { kind: ChangeEventKind, changeId: string, approvals: number, at: string, actionable: boolean } };

export type ConsoleActionableChangesSubscriptionVariables = Exact<{ [key: string]: never; }>;


export type ConsoleActionableChangesSubscription = { actionableChanges: { kind: ChangeEventKind, changeId: string, approvals: number, at: string, actionable: boolean } };

export type ConsoleApproveMutationVariables = Exact<{
  id: Scalars['ID']['input'];
  comment?: InputMaybe<Scalars['String']['input']>;
}>;


export type ConsoleApproveMutation = { approveChange?: { id: string, status: ChangeStatus, approvalStatus: { summary: string } } | null };

export type ConsoleRejectMutationVariables = Exact<{
  id: Scalars['ID']['input'];
  reason: Scalars['String']['input'];
}>;


export type ConsoleRejectMutation = { rejectChange?: { id: string, status: ChangeStatus } | null };

export type ConsoleSettingsQueryVariables = Exact<{
  environment: Environment;
}>;


export type ConsoleSettingsQuery = { settingsCatalog?: Array<{ key: string, environment: Environment, category: SettingCategory, description: string, value?: unknown | null, version: number, ownerFunction: string, ownerRole: string, risk: Risk, canEdit: boolean, requiresApproval: boolean, lockedReason?: string | null, status: SettingStatus, approvalPath: { summary: string }, pendingChange?: { id: string } | null }> | null };

export type ConsoleUpdateSettingMutationVariables = Exact<{
  input: UpdateSettingInput;
}>;


export type ConsoleUpdateSettingMutation = { updateSetting?: { status: ChangeResultStatus, version?: number | null, changeRequest: { id: string, status: ChangeStatus, approvalStatus: { summary: string } } } | null };

export type ConsoleRequestAccessMutationVariables = Exact<{
  input: RequestAccessInput;
}>;


export type ConsoleRequestAccessMutation = { requestAccess?: { status: ChangeResultStatus, changeRequest: { id: string, status: ChangeStatus, approvalStatus: { summary: string } } } | null };

export type ConsoleAuditAccessQueryVariables = Exact<{ [key: string]: never; }>;


export type ConsoleAuditAccessQuery = { explainField: { decision: AccessDecision, message: string } };

export type ConsoleAuditEventsQueryVariables = Exact<{
  filter?: InputMaybe<AuditEventFilter>;
  first?: InputMaybe<Scalars['Int']['input']>;
  after?: InputMaybe<Scalars['String']['input']>;
}>;


export type ConsoleAuditEventsQuery = { auditEvents?: { edges?: Array<{ cursor: string, node?: { id: string, seq: number, category: string, action: string, at: string, outcome: AuditOutcome, patientId?: string | null, dataClasses?: Array<string> | null, fields?: Array<string> | null, changeId?: string | null, environment?: string | null, target?: string | null, status?: string | null, reason?: string | null, ticket?: string | null, actor?: { sub: string, kind?: string | null, roles?: Array<string> | null } | null } | null }> | null, pageInfo?: { hasNextPage: boolean, endCursor?: string | null } | null } | null };

export type ConsoleAuditVerifyQueryVariables = Exact<{ [key: string]: never; }>;


export type ConsoleAuditVerifyQuery = { auditVerify?: { ok: boolean, records: number, firstSeq: number, headSeq: number, checkpointsVerified?: number | null, problem?: AuditProblem | null, seq?: number | null, message?: string | null } | null };

export type ConsoleExplainQueryVariables = Exact<{
  action: Scalars['String']['input'];
  environment?: InputMaybe<Environment>;
}>;


export type ConsoleExplainQuery = { explain: { action: string, decision: AccessDecision, message: string, reason?: string | null } };

export type ConsoleStopStatesQueryVariables = Exact<{
  environment: Environment;
}>;


export type ConsoleStopStatesQuery = { stopStates?: Array<{ target: string, environment: Environment, stopped: boolean, reason?: string | null, stoppedBy?: string | null, stoppedAt?: string | null, version: number, pendingResume?: { id: string, status: ChangeStatus, approvalStatus: { summary: string } } | null }> | null };

export type ConsoleEmergencyStopMutationVariables = Exact<{
  target: Scalars['String']['input'];
  environment: Environment;
  reason: Scalars['String']['input'];
}>;


export type ConsoleEmergencyStopMutation = { emergencyStop?: { target: string, stopped: boolean, version: number } | null };

export type ConsoleResumeMutationVariables = Exact<{
  target: Scalars['String']['input'];
  environment: Environment;
  reason?: InputMaybe<Scalars['String']['input']>;
  ticket?: InputMaybe<Scalars['String']['input']>;
}>;


export type ConsoleResumeMutation = { resume?: { status: ChangeResultStatus, changeRequest: { id: string, status: ChangeStatus, approvalStatus: { summary: string } } } | null };

export type ConsoleSettingHistoryQueryVariables = Exact<{
  key: Scalars['String']['input'];
  environment: Environment;
}>;


export type ConsoleSettingHistoryQuery = { setting?: { key: string, environment: Environment, version: number, value?: unknown | null, risk: Risk, pendingChange?: { id: string, status: ChangeStatus } | null } | null, settingHistory?: Array<{ version: number, value?: unknown | null, changedBy: string, changeId?: string | null, at: string, reason?: string | null }> | null };

export type ConsoleSettingDiffQueryVariables = Exact<{
  key: Scalars['String']['input'];
  environment: Environment;
  from: Scalars['Int']['input'];
  to: Scalars['Int']['input'];
}>;


export type ConsoleSettingDiffQuery = { settingDiff?: { entries: Array<{ path: string, op: DiffOp, before?: unknown | null, after?: unknown | null }> } | null };

export type ConsoleRollbackSettingMutationVariables = Exact<{
  key: Scalars['String']['input'];
  environment: Environment;
  toVersion: Scalars['Int']['input'];
  reason?: InputMaybe<Scalars['String']['input']>;
  ticket?: InputMaybe<Scalars['String']['input']>;
}>;


export type ConsoleRollbackSettingMutation = { rollbackSetting?: { status: ChangeResultStatus, version?: number | null, changeRequest: { id: string, status: ChangeStatus, approvalStatus: { summary: string } } } | null };

export type ConsolePromoteSettingMutationVariables = Exact<{
  key: Scalars['String']['input'];
  reason?: InputMaybe<Scalars['String']['input']>;
  ticket?: InputMaybe<Scalars['String']['input']>;
}>;


export type ConsolePromoteSettingMutation = { promoteSetting?: { status: ChangeResultStatus, version?: number | null, changeRequest: { id: string, status: ChangeStatus, approvalStatus: { summary: string } } } | null };

export type ConsoleDeliveryLogAccessQueryVariables = Exact<{ [key: string]: never; }>;


export type ConsoleDeliveryLogAccessQuery = { explainField: { decision: AccessDecision, message: string } };

export type ConsoleDeliveryLogQueryVariables = Exact<{
  action: Scalars['String']['input'];
  first?: InputMaybe<Scalars['Int']['input']>;
  after?: InputMaybe<Scalars['String']['input']>;
}>;


export type ConsoleDeliveryLogQuery = { auditEvents?: { edges?: Array<{ node?: { id: string, seq: number, action: string, at: string, outcome: AuditOutcome, changeId?: string | null, environment?: string | null, target?: string | null, status?: string | null, detail?: unknown | null } | null }> | null, pageInfo?: { hasNextPage: boolean, endCursor?: string | null } | null } | null };

export type ConsoleFieldAccessQueryVariables = Exact<{
  type: Scalars['String']['input'];
  field: Scalars['String']['input'];
}>;


export type ConsoleFieldAccessQuery = { explainField: { decision: AccessDecision, message: string } };

export type ConsoleAccessReviewQueryVariables = Exact<{
  staleDays: Scalars['Int']['input'];
}>;


export type ConsoleAccessReviewQuery = { accessReview: Array<{ flags: Array<AccessReviewFlag>, lastUsedAt?: string | null, grant: { id: string, sub: string, kind: AccessGrantKind, name: string, source: AccessGrantSource, patientId?: string | null, departments?: Array<string> | null, grantedAt: string, expiresAt?: string | null, active: boolean, reason: string, reviews: Array<{ by: string, at: string, decision: ReviewDecision, comment?: string | null }> } }> };

export type ConsoleCompleteReviewMutationVariables = Exact<{
  assignee: Scalars['String']['input'];
  grantId: Scalars['ID']['input'];
  decision: ReviewDecision;
  comment?: InputMaybe<Scalars['String']['input']>;
}>;


export type ConsoleCompleteReviewMutation = { completeReview?: { id: string, active: boolean } | null };

export type ConsolePolicyVersionsQueryVariables = Exact<{ [key: string]: never; }>;


export type ConsolePolicyVersionsQuery = { policyVersions: Array<{ version: number, policyVersion: string, changedBy?: string | null, changeId?: string | null, at?: string | null }> };

export type ConsolePolicyDiffQueryVariables = Exact<{
  from: Scalars['Int']['input'];
  to: Scalars['Int']['input'];
}>;


export type ConsolePolicyDiffQuery = { policyDiff: Array<{ path: string, op: DiffOp, before?: unknown | null, after?: unknown | null }> };

export type ConsoleConnectorsQueryVariables = Exact<{
  environment: Environment;
}>;


export type ConsoleConnectorsQuery = { connectors?: Array<{ id: string, environment: Environment, baseUrl?: string | null, scopes?: Array<string> | null, writeBackEnabled?: boolean | null, stopped: boolean, credentials?: { configured: boolean, clientId?: string | null, method?: string | null, keyId?: string | null, version: number, updatedAt?: string | null, updatedBy?: string | null } | null }> | null, connectorHealth?: Array<{ connector: string, circuit: string, calls: number, errors: number, errorRate: number, p50LatencyMs?: number | null, lastError?: string | null, lastErrorAt?: string | null }> | null };

export type ConsoleTestConnectorMutationVariables = Exact<{
  id: Scalars['String']['input'];
  environment: Environment;
}>;


export type ConsoleTestConnectorMutation = { testConnector?: { reachable: boolean, authenticated: boolean, fhirVersion?: string | null, error?: string | null, supportedScopes: Array<string>, unsupportedScopes: Array<string>, steps: Array<{ name: string, outcome: string, error?: string | null }> } | null };

export type ConsoleConfigureConnectorMutationVariables = Exact<{
  input: ConfigureConnectorInput;
}>;


export type ConsoleConfigureConnectorMutation = { configureConnector?: { changes: Array<{ key: string, status: string, changeRequestId: string }> } | null };

export type ConsoleGenerateConnectorKeyMutationVariables = Exact<{
  id: Scalars['String']['input'];
  environment: Environment;
  clientId?: InputMaybe<Scalars['String']['input']>;
  reason?: InputMaybe<Scalars['String']['input']>;
}>;


export type ConsoleGenerateConnectorKeyMutation = { generateConnectorKey?: { jwksPath: string, change: { key: string, status: string, changeRequestId: string } } | null };

export type ConsoleRotateConnectorSecretMutationVariables = Exact<{
  id: Scalars['String']['input'];
  environment: Environment;
  secret: Scalars['String']['input'];
  clientId?: InputMaybe<Scalars['String']['input']>;
  reason?: InputMaybe<Scalars['String']['input']>;
}>;


export type ConsoleRotateConnectorSecretMutation = { rotateConnectorSecret?: { configured: boolean, method?: string | null, version: number, change?: { key: string, status: string, changeRequestId: string } | null } | null };

export class TypedDocumentString<TResult, TVariables>
  extends String
  implements DocumentTypeDecoration<TResult, TVariables>
{
  __apiType?: NonNullable<DocumentTypeDecoration<TResult, TVariables>['__apiType']>;
  private value: string;
  public __meta__?: Record<string, any> | undefined;

  constructor(value: string, __meta__?: Record<string, any> | undefined) {
    super(value);
    this.value = value;
    this.__meta__ = __meta__;
  }

  override toString(): string & DocumentTypeDecoration<TResult, TVariables> {
    return this.value;
  }
}
export const ConsoleInboxFieldsFragmentDoc = new TypedDocumentString(`
    fragment ConsoleInboxFields on ChangeRequest {
  id
  status
  environment
  category
  risk
  key
  targetType
  targetKey
  stopTarget
  reason
  ticket
  before
  after
  requester {
    sub
    roles
  }
  approvalStatus {
    summary
  }
  viewerCanApprove
  viewerCannotApproveReason
  createdAt
  expiresAt
}
    `, {"fragmentName":"ConsoleInboxFields"}) as unknown as TypedDocumentString<ConsoleInboxFieldsFragment, unknown>;
export const ConsoleChangeFieldsFragmentDoc = new TypedDocumentString(`
    fragment ConsoleChangeFields on ChangeRequest {
  id
  status
  environment
  category
  ownerFunction
  risk
  key
  targetType
  targetKey
  stopTarget
  reason
  ticket
  baseVersion
  origin {
    type
    toVersion
    fromEnvironment
    fromVersion
  }
  before
  after
  diff {
    path
    op
    before
    after
  }
  requester {
    sub
    roles
    functions
    kind
  }
  requirement {
    requiredApprovals
    distinctFunctions
    ownerFunctionRequired
    mfaRequired
    requiredFunction
  }
  approverFunctions
  approvals {
    sub
    roleUsed
    functions
    mfa
    comment
    at
  }
  approvalStatus {
    satisfied
    remaining
    stillNeededFrom
    summary
  }
  viewerCanApprove
  viewerCannotApproveReason
  viewerCannotApproveCode
  viewerCanReject
  createdAt
  expiresAt
  updatedAt
  appliedVersion
  appliedAt
  rejection {
    sub
    functions
    reason
    at
  }
  cancellation {
    sub
    at
  }
  superseded {
    currentVersion
    at
    replacedBy
  }
  expiredAt
  failureReason
  textsWithheld
}
    `, {"fragmentName":"ConsoleChangeFields"}) as unknown as TypedDocumentString<ConsoleChangeFieldsFragment, unknown>;
export const ConsoleMeDocument = new TypedDocumentString(`
    query ConsoleMe {
  me {
    sub
    tenant
    roles
    departments
    mfa
  }
}
    `, {"hash":"4561bfdabbde260fa852d033d36db4464803d851bca65aedb24d7d5ccffa9b11"}) as unknown as TypedDocumentString<ConsoleMeQuery, ConsoleMeQueryVariables>;
export const ConsoleInboxDocument = new TypedDocumentString(`
    query ConsoleInbox($status: ChangeStatus, $environment: Environment, $category: SettingCategory, $actionable: Boolean) {
  changeRequests(
    status: $status
    environment: $environment
    category: $category
    actionable: $actionable
    first: 50
  ) {
    ...ConsoleInboxFields
  }
}
    fragment ConsoleInboxFields on ChangeRequest {
  id
  status
  environment
  category
  risk
  key
  targetType
  targetKey
  stopTarget
  reason
  ticket
  before
  after
  requester {
    sub
    roles
  }
  approvalStatus {
    summary
  }
  viewerCanApprove
  viewerCannotApproveReason
  createdAt
  expiresAt
}`, {"hash":"f5cef2234918af395b217f6a0a596358eb511e05bfa9dad121587a499ee2111a"}) as unknown as TypedDocumentString<ConsoleInboxQuery, ConsoleInboxQueryVariables>;
export const ConsoleChangeDocument = new TypedDocumentString(`
    query ConsoleChange($id: ID!) {
  changeRequest(id: $id) {
    ...ConsoleChangeFields
  }
}
    fragment ConsoleChangeFields on ChangeRequest {
  id
  status
  environment
  category
  ownerFunction
  risk
  key
  targetType
  targetKey
  stopTarget
  reason
  ticket
  baseVersion
  origin {
    type
    toVersion
    fromEnvironment
    fromVersion
  }
  before
  after
  diff {
    path
    op
    before
    after
  }
  requester {
    sub
    roles
    functions
    kind
  }
  requirement {
    requiredApprovals
    distinctFunctions
    ownerFunctionRequired
    mfaRequired
    requiredFunction
  }
  approverFunctions
  approvals {
    sub
    roleUsed
    functions
    mfa
    comment
    at
  }
  approvalStatus {
    satisfied
    remaining
    stillNeededFrom
    summary
  }
  viewerCanApprove
  viewerCannotApproveReason
  viewerCannotApproveCode
  viewerCanReject
  createdAt
  expiresAt
  updatedAt
  appliedVersion
  appliedAt
  rejection {
    sub
    functions
    reason
    at
  }
  cancellation {
    sub
    at
  }
  superseded {
    currentVersion
    at
    replacedBy
  }
  expiredAt
  failureReason
  textsWithheld
}`, {"hash":"ca187594f53e83637d0e89f5d3219296be095bcf84e57012888c5b47d62907f0"}) as unknown as TypedDocumentString<ConsoleChangeQuery, ConsoleChangeQueryVariables>;
export const ConsoleActionableDocument = new TypedDocumentString(`
    query ConsoleActionable($after: String) {
  changeRequestsConnection(actionable: true, first: 5, after: $after) {
    edges {
      node {
        ...ConsoleChangeFields
      }
    }
    pageInfo {
      hasNextPage
      endCursor
    }
  }
}
    fragment ConsoleChangeFields on ChangeRequest {
  id
  status
  environment
  category
  ownerFunction
  risk
  key
  targetType
  targetKey
  stopTarget
  reason
  ticket
  baseVersion
  origin {
    type
    toVersion
    fromEnvironment
    fromVersion
  }
  before
  after
  diff {
    path
    op
    before
    after
  }
  requester {
    sub
    roles
    functions
    kind
  }
  requirement {
    requiredApprovals
    distinctFunctions
    ownerFunctionRequired
    mfaRequired
    requiredFunction
  }
  approverFunctions
  approvals {
    sub
    roleUsed
    functions
    mfa
    comment
    at
  }
  approvalStatus {
    satisfied
    remaining
    stillNeededFrom
    summary
  }
  viewerCanApprove
  viewerCannotApproveReason
  viewerCannotApproveCode
  viewerCanReject
  createdAt
  expiresAt
  updatedAt
  appliedVersion
  appliedAt
  rejection {
    sub
    functions
    reason
    at
  }
  cancellation {
    sub
    at
  }
  superseded {
    currentVersion
    at
    replacedBy
  }
  expiredAt
  failureReason
  textsWithheld
}`, {"hash":"5cfec13fdce50c4a4fabd6fd5b038c95642bf1d45757fedbcabc7a75a0db8f5d"}) as unknown as TypedDocumentString<ConsoleActionableQuery, ConsoleActionableQueryVariables>;
export const ConsoleApproveMedicationDocument = new TypedDocumentString(`
    mutation ConsoleApproveMedication($id: ID!, $comment: String) {
  approveMedicationProposal(changeId: $id, comment: $comment) {
    status
    changeRequestId
  }
}
    `, {"hash":"6a19db39bc0300f6dbf50f1ac649ab37b18f829825b2e9f163f047342336739c"}) as unknown as TypedDocumentString<ConsoleApproveMedicationMutation, ConsoleApproveMedicationMutationVariables>;
export const ConsoleCancelDocument = new TypedDocumentString(`
    mutation ConsoleCancel($id: ID!) {
  cancelChange(id: $id) {
    id
    status
  }
}
    `, {"hash":"e28ae05142957a7ab071b0445343e8a9a23e60e5f2c1a391438867be4315d1e8"}) as unknown as TypedDocumentString<ConsoleCancelMutation, ConsoleCancelMutationVariables>;
export const ConsoleChangeEventsDocument = new TypedDocumentString(`
    subscription ConsoleChangeEvents {
  changeEvents {
    kind
    changeId
    approvals
    at
    actionable
  }
}
    `, {"hash":"e7fa9dbfbc54c03ddd0b433595ab19c2f528a7d8c6f3c39cff37de64a32c22a7"}) as unknown as TypedDocumentString<ConsoleChangeEventsSubscription, ConsoleChangeEventsSubscriptionVariables>;
export const ConsoleActionableChangesDocument = new TypedDocumentString(`
    subscription ConsoleActionableChanges {
  actionableChanges {
    kind
    changeId
    approvals
    at
    actionable
  }
}
    `, {"hash":"4961a0533da66da0cb6343e65fed1a601dbaac1ff819e03cb221853c56853500"}) as unknown as TypedDocumentString<ConsoleActionableChangesSubscription, ConsoleActionableChangesSubscriptionVariables>;
export const ConsoleApproveDocument = new TypedDocumentString(`
    mutation ConsoleApprove($id: ID!, $comment: String) {
  approveChange(id: $id, comment: $comment) {
    id
    status
    approvalStatus {
      summary
    }
  }
}
    `, {"hash":"511d909bc79870e8d389562069caebe95694d5a503ce5513bea91205b9f937c6"}) as unknown as TypedDocumentString<ConsoleApproveMutation, ConsoleApproveMutationVariables>;
export const ConsoleRejectDocument = new TypedDocumentString(`
    mutation ConsoleReject($id: ID!, $reason: String!) {
  rejectChange(id: $id, reason: $reason) {
    id
    status
  }
}
    `, {"hash":"cb41eefeacf681eef8c14cca3f3fb87df571b6cbbe7763848806bacd5ea58a59"}) as unknown as TypedDocumentString<ConsoleRejectMutation, ConsoleRejectMutationVariables>;
export const ConsoleSettingsDocument = new TypedDocumentString(`
    query ConsoleSettings($environment: Environment!) {
  settingsCatalog(environment: $environment) {
    key
    environment
    category
    description
    value
    version
    ownerFunction
    ownerRole
    risk
    canEdit
    requiresApproval
    lockedReason
    status
    approvalPath {
      summary
    }
    pendingChange {
      id
    }
  }
}
    `, {"hash":"bb1722b3bbc859f025fa1d465aef1597a7e2aaad3c464f6d2e09e297b990f4fa"}) as unknown as TypedDocumentString<ConsoleSettingsQuery, ConsoleSettingsQueryVariables>;
export const ConsoleUpdateSettingDocument = new TypedDocumentString(`
    mutation ConsoleUpdateSetting($input: UpdateSettingInput!) {
  updateSetting(input: $input) {
    status
    version
    changeRequest {
      id
      status
      approvalStatus {
        summary
      }
    }
  }
}
    `, {"hash":"eab33c1f74f3948fa8cf13b5b768e572f3716bf92592d7a7b837c2aa489b9b47"}) as unknown as TypedDocumentString<ConsoleUpdateSettingMutation, ConsoleUpdateSettingMutationVariables>;
export const ConsoleRequestAccessDocument = new TypedDocumentString(`
    mutation ConsoleRequestAccess($input: RequestAccessInput!) {
  requestAccess(input: $input) {
    status
    changeRequest {
      id
      status
      approvalStatus {
        summary
      }
    }
  }
}
    `, {"hash":"4d4a896af75397921c928df1ed674e2efc83eb256496c6016783e940f574fe87"}) as unknown as TypedDocumentString<ConsoleRequestAccessMutation, ConsoleRequestAccessMutationVariables>;
export const ConsoleAuditAccessDocument = new TypedDocumentString(`
    query ConsoleAuditAccess {
  explainField(type: "Query", field: "auditEvents") {
    decision
    message
  }
}
    `, {"hash":"84d22bd9974f745e6258a11d920c8e84096c5472940e7bb01bd8e24a593136fd"}) as unknown as TypedDocumentString<ConsoleAuditAccessQuery, ConsoleAuditAccessQueryVariables>;
export const ConsoleAuditEventsDocument = new TypedDocumentString(`
    query ConsoleAuditEvents($filter: AuditEventFilter, $first: Int, $after: String) {
  auditEvents(filter: $filter, first: $first, after: $after) {
    edges {
      cursor
      node {
        id
        seq
        category
        action
        at
        outcome
        actor {
          sub
          kind
          roles
        }
        patientId
        dataClasses
        fields
        changeId
        environment
        target
        status
        reason
        ticket
      }
    }
    pageInfo {
      hasNextPage
      endCursor
    }
  }
}
    `, {"hash":"ff5bd1439b35061c1d5b1fa1bceea4da1e20d921afa915609b719ad377f81533"}) as unknown as TypedDocumentString<ConsoleAuditEventsQuery, ConsoleAuditEventsQueryVariables>;
export const ConsoleAuditVerifyDocument = new TypedDocumentString(`
    query ConsoleAuditVerify {
  auditVerify {
    ok
    records
    firstSeq
    headSeq
    checkpointsVerified
    problem
    seq
    message
  }
}
    `, {"hash":"4883900eec166f3422da040882a43749cef1868308542b267d3f7ac6be80749d"}) as unknown as TypedDocumentString<ConsoleAuditVerifyQuery, ConsoleAuditVerifyQueryVariables>;
export const ConsoleExplainDocument = new TypedDocumentString(`
    query ConsoleExplain($action: String!, $environment: Environment) {
  explain(action: $action, environment: $environment) {
    action
    decision
    message
    reason
  }
}
    `, {"hash":"6d305f2c954284363899cc9f77954317205921f4a239c51022c98e3c9581fd68"}) as unknown as TypedDocumentString<ConsoleExplainQuery, ConsoleExplainQueryVariables>;
export const ConsoleStopStatesDocument = new TypedDocumentString(`
    query ConsoleStopStates($environment: Environment!) {
  stopStates(environment: $environment) {
    target
    environment
    stopped
    reason
    stoppedBy
    stoppedAt
    version
    pendingResume {
      id
      status
      approvalStatus {
        summary
      }
    }
  }
}
    `, {"hash":"b573b73e361cefe97a58d298e070ba7622ec10d909a3588ffc2c77fcaa846946"}) as unknown as TypedDocumentString<ConsoleStopStatesQuery, ConsoleStopStatesQueryVariables>;
export const ConsoleEmergencyStopDocument = new TypedDocumentString(`
    mutation ConsoleEmergencyStop($target: String!, $environment: Environment!, $reason: String!) {
  emergencyStop(target: $target, environment: $environment, reason: $reason) {
    target
    stopped
    version
  }
}
    `, {"hash":"6a5b706389bd4ff0d3e7d3020ee8d5e44bd33c91a7afc0db62875ccbd2ecf420"}) as unknown as TypedDocumentString<ConsoleEmergencyStopMutation, ConsoleEmergencyStopMutationVariables>;
export const ConsoleResumeDocument = new TypedDocumentString(`
    mutation ConsoleResume($target: String!, $environment: Environment!, $reason: String, $ticket: String) {
  resume(
    target: $target
    environment: $environment
    reason: $reason
    ticket: $ticket
  ) {
    status
    changeRequest {
      id
      status
      approvalStatus {
        summary
      }
    }
  }
}
    `, {"hash":"c5f3083ca2185eceb762c42cbf231620e0754a4e6080b1c99954018bd50d51d1"}) as unknown as TypedDocumentString<ConsoleResumeMutation, ConsoleResumeMutationVariables>;
export const ConsoleSettingHistoryDocument = new TypedDocumentString(`
    query ConsoleSettingHistory($key: String!, $environment: Environment!) {
  setting(key: $key, environment: $environment) {
    key
    environment
    version
    value
    risk
    pendingChange {
      id
      status
    }
  }
  settingHistory(key: $key, environment: $environment) {
    version
    value
    changedBy
    changeId
    at
    reason
  }
}
    `, {"hash":"f22df280af1697ea910bb5d6c79a4a0caa159cbbbe6c0cc87af1478379560b7a"}) as unknown as TypedDocumentString<ConsoleSettingHistoryQuery, ConsoleSettingHistoryQueryVariables>;
export const ConsoleSettingDiffDocument = new TypedDocumentString(`
    query ConsoleSettingDiff($key: String!, $environment: Environment!, $from: Int!, $to: Int!) {
  settingDiff(
    key: $key
    environment: $environment
    fromVersion: $from
    toVersion: $to
  ) {
    entries {
      path
      op
      before
      after
    }
  }
}
    `, {"hash":"dc918d38221052ca4cb2f9b138dd159c0e179772c8f580e418e0e26460bbf234"}) as unknown as TypedDocumentString<ConsoleSettingDiffQuery, ConsoleSettingDiffQueryVariables>;
export const ConsoleRollbackSettingDocument = new TypedDocumentString(`
    mutation ConsoleRollbackSetting($key: String!, $environment: Environment!, $toVersion: Int!, $reason: String, $ticket: String) {
  rollbackSetting(
    key: $key
    environment: $environment
    toVersion: $toVersion
    reason: $reason
    ticket: $ticket
  ) {
    status
    version
    changeRequest {
      id
      status
      approvalStatus {
        summary
      }
    }
  }
}
    `, {"hash":"20d9a2ef90667c18b9af5658245ffe121e2c4297ad99e742d6dbb3cf99ee3c43"}) as unknown as TypedDocumentString<ConsoleRollbackSettingMutation, ConsoleRollbackSettingMutationVariables>;
export const ConsolePromoteSettingDocument = new TypedDocumentString(`
    mutation ConsolePromoteSetting($key: String!, $reason: String, $ticket: String) {
  promoteSetting(key: $key, reason: $reason, ticket: $ticket) {
    status
    version
    changeRequest {
      id
      status
      approvalStatus {
        summary
      }
    }
  }
}
    `, {"hash":"d31bb9e81b4c49404ebedde79e9926e8d9b66843028852fff4a6c30071ca6af8"}) as unknown as TypedDocumentString<ConsolePromoteSettingMutation, ConsolePromoteSettingMutationVariables>;
export const ConsoleDeliveryLogAccessDocument = new TypedDocumentString(`
    query ConsoleDeliveryLogAccess {
  explainField(type: "Query", field: "auditEvents") {
    decision
    message
  }
}
    `, {"hash":"ed7fd0af1f151f6df4963c9d1c77cf74869fa0d3da21d18494826e2eca19e849"}) as unknown as TypedDocumentString<ConsoleDeliveryLogAccessQuery, ConsoleDeliveryLogAccessQueryVariables>;
export const ConsoleDeliveryLogDocument = new TypedDocumentString(`
    query ConsoleDeliveryLog($action: String!, $first: Int, $after: String) {
  auditEvents(filter: {action: $action}, first: $first, after: $after) {
    edges {
      node {
        id
        seq
        action
        at
        outcome
        changeId
        environment
        target
        status
        detail
      }
    }
    pageInfo {
      hasNextPage
      endCursor
    }
  }
}
    `, {"hash":"77c74cac18ac30a2a028e7630c6233218ad684e6a0d83fe73b261864ccb822ab"}) as unknown as TypedDocumentString<ConsoleDeliveryLogQuery, ConsoleDeliveryLogQueryVariables>;
export const ConsoleFieldAccessDocument = new TypedDocumentString(`
    query ConsoleFieldAccess($type: String!, $field: String!) {
  explainField(type: $type, field: $field) {
    decision
    message
  }
}
    `, {"hash":"4eddfca193564c75d05005a938a421bb22e570fdd2bbcbaead8fafaa46ffa1d9"}) as unknown as TypedDocumentString<ConsoleFieldAccessQuery, ConsoleFieldAccessQueryVariables>;
export const ConsoleAccessReviewDocument = new TypedDocumentString(`
    query ConsoleAccessReview($staleDays: Int!) {
  accessReview(staleDays: $staleDays) {
    flags
    lastUsedAt
    grant {
      id
      sub
      kind
      name
      source
      patientId
      departments
      grantedAt
      expiresAt
      active
      reason
      reviews {
        by
        at
        decision
        comment
      }
    }
  }
}
    `, {"hash":"6beeaf1afb81dd2ad9bf31bce32d9e341de90ed195ed58c251c786e529587a78"}) as unknown as TypedDocumentString<ConsoleAccessReviewQuery, ConsoleAccessReviewQueryVariables>;
export const ConsoleCompleteReviewDocument = new TypedDocumentString(`
    mutation ConsoleCompleteReview($assignee: String!, $grantId: ID!, $decision: ReviewDecision!, $comment: String) {
  completeReview(
    assignee: $assignee
    grantId: $grantId
    decision: $decision
    comment: $comment
  ) {
    id
    active
  }
}
    `, {"hash":"127b338252c6a5c277b63ffe43a2f007bca325e81a4ce363096b1173a486ed9b"}) as unknown as TypedDocumentString<ConsoleCompleteReviewMutation, ConsoleCompleteReviewMutationVariables>;
export const ConsolePolicyVersionsDocument = new TypedDocumentString(`
    query ConsolePolicyVersions {
  policyVersions {
    version
    policyVersion
    changedBy
    changeId
    at
  }
}
    `, {"hash":"5241baaf380363ce47cd8188b6e82969ea190a026a8d34823e7467889b0c627a"}) as unknown as TypedDocumentString<ConsolePolicyVersionsQuery, ConsolePolicyVersionsQueryVariables>;
export const ConsolePolicyDiffDocument = new TypedDocumentString(`
    query ConsolePolicyDiff($from: Int!, $to: Int!) {
  policyDiff(from: $from, to: $to) {
    path
    op
    before
    after
  }
}
    `, {"hash":"8f9b88f0b93e0e4af1db0644a9d4635fb1d56a33a9bc298c4d13c2803090b6fc"}) as unknown as TypedDocumentString<ConsolePolicyDiffQuery, ConsolePolicyDiffQueryVariables>;
export const ConsoleConnectorsDocument = new TypedDocumentString(`
    query ConsoleConnectors($environment: Environment!) {
  connectors(environment: $environment) {
    id
    environment
    baseUrl
    scopes
    writeBackEnabled
    stopped
    credentials {
      configured
      clientId
      method
      keyId
      version
      updatedAt
      updatedBy
    }
  }
  connectorHealth {
    connector
    circuit
    calls
    errors
    errorRate
    p50LatencyMs
    lastError
    lastErrorAt
  }
}
    `, {"hash":"8022e1fbc8a87f2bb326fd373fee1ce4078e5a3f870f820d3bb31793fef43f82"}) as unknown as TypedDocumentString<ConsoleConnectorsQuery, ConsoleConnectorsQueryVariables>;
export const ConsoleTestConnectorDocument = new TypedDocumentString(`
    mutation ConsoleTestConnector($id: String!, $environment: Environment!) {
  testConnector(connectorId: $id, environment: $environment) {
    reachable
    authenticated
    fhirVersion
    error
    supportedScopes
    unsupportedScopes
    steps {
      name
      outcome
      error
    }
  }
}
    `, {"hash":"396fad0c4fb2d2790629b3ad9089df49f661561469a7810914c7e7d236918f7b"}) as unknown as TypedDocumentString<ConsoleTestConnectorMutation, ConsoleTestConnectorMutationVariables>;
export const ConsoleConfigureConnectorDocument = new TypedDocumentString(`
    mutation ConsoleConfigureConnector($input: ConfigureConnectorInput!) {
  configureConnector(input: $input) {
    changes {
      key
      status
      changeRequestId
    }
  }
}
    `, {"hash":"f57d9a4386eadc7014b733d52ec7a25a21c09b2455b762584c009cd0a602cc28"}) as unknown as TypedDocumentString<ConsoleConfigureConnectorMutation, ConsoleConfigureConnectorMutationVariables>;
export const ConsoleGenerateConnectorKeyDocument = new TypedDocumentString(`
    mutation ConsoleGenerateConnectorKey($id: String!, $environment: Environment!, $clientId: String, $reason: String) {
  generateConnectorKey(
    connectorId: $id
    environment: $environment
    clientId: $clientId
    reason: $reason
  ) {
    jwksPath
    change {
      key
      status
      changeRequestId
    }
  }
}
    `, {"hash":"3a0a579833e9fa2a65b3ad3d5f81f033a695002a266e78f1a624a5df17f782b4"}) as unknown as TypedDocumentString<ConsoleGenerateConnectorKeyMutation, ConsoleGenerateConnectorKeyMutationVariables>;
export const ConsoleRotateConnectorSecretDocument = new TypedDocumentString(`
    mutation ConsoleRotateConnectorSecret($id: String!, $environment: Environment!, $secret: String!, $clientId: String, $reason: String) {
  rotateConnectorSecret(
    connectorId: $id
    environment: $environment
    clientSecret: $secret
    clientId: $clientId
    reason: $reason
  ) {
    configured
    method
    version
    change {
      key
      status
      changeRequestId
    }
  }
}
    `, {"hash":"2420db0e1124ae7487c8b3e9e673bf399ed17d52c01a7adf5b4d9eb1b9a260f8"}) as unknown as TypedDocumentString<ConsoleRotateConnectorSecretMutation, ConsoleRotateConnectorSecretMutationVariables>;