import type { z } from 'zod';
import { CATEGORY_OWNER, type Category, type Environment, type Risk } from './environment.js';
import type { JsonValue } from './json.js';
import { DEFAULT_EMERGENCY_REPLIES } from './default-emergency-replies.js';
import { DEFAULT_TRIAGE_LEXICON } from './triage-default-lexicon.js';
import { settingValueSchemas as v } from './setting-values.js';

// The catalog of governed settings. A setting lives per tenant and environment; its definition says who owns it,
// how risky a change is in each environment, what a valid value is and what it is before anyone sets it.
//
// Keys are dotted. Most are fixed (`billing.refundThreshold`). Three families are keyed by an id:
// - `ai.agentAutonomy.<agentId>`: what one AI agent may do alone (agent-autonomy.ts); unset, `ai.agentAutonomy` counts.
// - `ai.promptTemplate.<templateId>`: one prompt template per id (`ai.promptTemplate.triage`).
// - `integration.<connectorId>.<field>`: per-connector settings, field one of baseUrl, scopes, writeBackEnabled,
//   writeBackMappings. The EHR connector's id is `ehr`, so `integration.ehr.writeBackEnabled` is its write-back
//   switch; another connector `athena-east` has `integration.athena-east.writeBackEnabled`. Ids are lower-case
//   kebab (`^[a-z][a-z0-9-]{0,62}$`), so they can never collide with a fixed camelCase key such as
//   `integration.webhookRoutes`. `setWriteBack(connectorId, environment, enabled)` is therefore the governed
//   change of `connectorSettingKey(connectorId, 'writeBackEnabled')` in that environment to `enabled`.

export interface SettingDefinition {
  readonly key: string;
  readonly category: Category;
  readonly ownerFunction: string;
  readonly description: string;
  readonly risk: Readonly<Record<Environment, Risk>>;
  readonly schema: z.ZodType<JsonValue>;
  readonly defaultValue: JsonValue;
  /**
   * A data permission a change of the setting needs besides the editor role (connector credentials: `write` on
   * `credentials`): its editors are then only the editor roles that hold it in the policy in force (change-target.ts),
   * for every path that changes it (update, rollback, promotion, a connector mutation), explain and the catalog alike.
   */
  readonly changeNeeds?: { readonly action: 'write'; readonly dataClass: string };
}

/** A family of settings keyed by an id: the key is `${prefix}${id}${suffix}`. */
export interface SettingTemplate extends Omit<SettingDefinition, 'key'> {
  readonly pattern: string;
  readonly prefix: string;
  readonly suffix: string;
}

export const ID_PATTERN = /^[a-z][a-z0-9-]{0,62}$/;

const risk = (STAGING: Risk, PRODUCTION: Risk) => ({ STAGING, PRODUCTION });
type Spec = Omit<SettingDefinition, 'key' | 'ownerFunction' | 'schema'> & { ownerFunction?: string; schema: z.ZodType };
const def = (key: string, spec: Spec): SettingDefinition =>
  ({ key, ownerFunction: CATEGORY_OWNER[spec.category], ...spec }) as SettingDefinition;
const family = (prefix: string, suffix: string, spec: Spec): SettingTemplate =>
  ({ pattern: `${prefix}<id>${suffix}`, prefix, suffix, ownerFunction: CATEGORY_OWNER[spec.category], ...spec }) as SettingTemplate;

// Every entry has an effect a test applies and observes (test/governance/setting-effects.test.ts checks the table);
// a setting nothing enforces is not offered. billing.invoiceTriggers and billing.autoCollectionThreshold left the
// catalog for that reason (issue 13): the gateway creates no invoices and collects nothing.
export const SETTING_DEFINITIONS: readonly SettingDefinition[] = [
  def('ai.model', {
    category: 'ai-behavior',
    description: 'Model used for drafting and triage',
    risk: risk('MEDIUM', 'HIGH'),
    schema: v.model,
    defaultValue: { provider: 'default', model: 'clinical-assistant-v1', temperature: 0.2 },
  }),
  def('ai.guardrails', {
    category: 'ai-behavior',
    description: 'Blocked topics, citations, output limits',
    risk: risk('MEDIUM', 'HIGH'),
    schema: v.guardrails,
    defaultValue: { blockedTopics: ['diagnosis-without-clinician'], requireCitations: true, redactPhiInLogs: true, maxOutputTokens: 1024 },
  }),
  def('ai.safetyThreshold', {
    category: 'ai-behavior',
    description: 'Confidence below which a draft is escalated to a human',
    risk: risk('MEDIUM', 'HIGH'),
    schema: v.safetyThreshold,
    defaultValue: { threshold: 0.8 },
  }),
  def('ai.agentAutonomy', {
    category: 'ai-behavior',
    description: 'What an AI agent may do on its own',
    risk: risk('HIGH', 'HIGH'),
    schema: v.agentAutonomy,
    defaultValue: { level: 'draft-only', allowedActions: [] },
  }),
  def('integration.webhookRoutes', {
    category: 'integration',
    description: 'Outbound webhook routes per event',
    risk: risk('LOW', 'MEDIUM'),
    schema: v.webhookRoutes,
    defaultValue: [],
  }),
  def('billing.reminderCadenceDays', {
    category: 'billing-automation',
    description: 'Days after the invoice on which payment reminders go out',
    risk: risk('LOW', 'MEDIUM'),
    schema: v.reminderCadenceDays,
    defaultValue: [7, 14, 30],
  }),
  def('billing.refundThreshold', {
    category: 'billing-automation',
    description: 'Refunds above this amount queue for approval',
    risk: risk('MEDIUM', 'HIGH'),
    schema: v.money,
    defaultValue: { amount: 100, currency: 'USD' },
  }),
  // Refunds cannot split the threshold: what was refunded without approval within this window, on the invoice and
  // for the patient, counts toward it (src/governance/refund-target.ts).
  def('billing.refundWindowHours', {
    category: 'billing-automation',
    description: 'Window in which refunds given without approval add up toward the refund threshold (per invoice and per patient)',
    risk: risk('MEDIUM', 'HIGH'),
    schema: v.refundWindowHours,
    defaultValue: 24,
  }),
  def('billing.failedPaymentEscalation', {
    category: 'billing-automation',
    description: 'When and where a failed payment escalates',
    risk: risk('LOW', 'MEDIUM'),
    schema: v.failedPaymentEscalation,
    defaultValue: { afterAttempts: 3, escalateTo: 'billing', pauseAutoCollection: true },
  }),
  def('messaging.templates', {
    category: 'messaging',
    description: 'Patient message templates by id',
    risk: risk('LOW', 'MEDIUM'),
    schema: v.messagingTemplates,
    defaultValue: {
      'appointment-reminder': {
        locale: 'en',
        channel: 'sms',
        subject: 'Appointment reminder',
        body: 'Reminder: you have an appointment on {{date}}.',
        translations: { es: { subject: 'Recordatorio de cita', body: 'Recordatorio: tiene una cita el {{date}}.' } },
      },
      'payment-reminder': {
        locale: 'en',
        channel: 'email',
        subject: 'Payment reminder',
        body: 'Your invoice of {{date}} has {{amount}} open. Reply to this message with any question.',
        translations: {
          es: {
            subject: 'Recordatorio de pago',
            body: 'Su factura del {{date}} tiene {{amount}} pendiente. Responda a este mensaje con cualquier pregunta.',
          },
        },
      },
    },
  }),
  def('messaging.channels', {
    category: 'messaging',
    description: 'Channels patients may be reached on',
    risk: risk('LOW', 'MEDIUM'),
    schema: v.channels,
    defaultValue: ['sms', 'email'],
  }),
  def('messaging.officeHours', {
    category: 'messaging',
    description: 'When staffed queues answer',
    risk: risk('LOW', 'LOW'),
    schema: v.officeHours,
    defaultValue: {
      timezone: 'America/New_York',
      weekly: ['mon', 'tue', 'wed', 'thu', 'fri'].map((day) => ({ day, open: '08:00', close: '17:00' })),
    },
  }),
  def('messaging.routingRules', {
    category: 'messaging',
    description: 'Rules that choose a queue for an inbound message (incl. language)',
    risk: risk('LOW', 'MEDIUM'),
    schema: v.routingRules,
    defaultValue: [
      { match: { keywords: ['refill', 'receta'] }, queue: 'nurse-triage' },
      {
        match: {
          keywords: [
            'bill',
            'invoice',
            'billed',
            'charged',
            'payment',
            'balance',
            'copay',
            'insurance',
            'refund',
            'statement',
            'pay',
            'cost',
            'price',
            'factura',
            'cuesta',
            'costo',
            'precio',
            'cobraron',
            'cobro',
            'pago',
            'pagos',
            'pagar',
            'cuenta',
            'seguro',
            'debo',
          ],
        },
        queue: 'billing',
      },
    ],
  }),
  def('messaging.emergencyEscalationRules', {
    category: 'messaging',
    ownerFunction: 'clinical',
    description: 'Emergency logic: under clinical oversight, not operations',
    risk: risk('HIGH', 'HIGH'),
    schema: v.emergencyEscalationRules,
    defaultValue: [{ keywords: ['chest pain', 'cannot breathe', 'suicidal'], action: 'advise-emergency-services' }],
  }),
  def('access.mfaPolicy', {
    category: 'access',
    description:
      'Who must sign in with a second factor, and how old a sign-in may be; once applied (PRODUCTION), enforced on every request',
    risk: risk('HIGH', 'HIGH'),
    schema: v.mfaPolicy,
    defaultValue: { requiredFor: 'admins-and-approvers', requiredForApprovals: true, maxSessionHours: 12 },
  }),
  // Approver notifications by email (issue 14): read in PRODUCTION like every access setting (one directory of people).
  def('access.approverContacts', {
    category: 'access',
    description: 'Email addresses approver notifications, outcomes and escalations are sent to, per person',
    risk: risk('MEDIUM', 'MEDIUM'),
    schema: v.approverContacts,
    defaultValue: [],
  }),
  // The answer an emergency message gets at once (README: Triage and queues): clinical content, so clinical owns it.
  def('messaging.emergencyReplies', {
    category: 'messaging',
    ownerFunction: 'clinical',
    description: 'Immediate answer to an emergency message (emergency services; crisis line for self-harm)',
    risk: risk('HIGH', 'HIGH'),
    schema: v.emergencyReplies,
    defaultValue: DEFAULT_EMERGENCY_REPLIES as unknown as JsonValue,
  }),
  def('messaging.queueSla', {
    category: 'messaging',
    ownerFunction: 'clinical',
    description: 'Minutes to pick up an item per queue; an unclaimed on-call item escalates after it',
    risk: risk('MEDIUM', 'HIGH'),
    schema: v.queueSla,
    defaultValue: { 'on-call': 10, 'nurse-triage': 240, 'front-desk': 1440, billing: 2880 },
  }),
  def('messaging.onCallRoster', {
    category: 'messaging',
    ownerFunction: 'clinical',
    description: 'Who is paged, in order, when an on-call emergency stays unclaimed',
    risk: risk('MEDIUM', 'HIGH'),
    schema: v.onCallRoster,
    defaultValue: [],
  }),
  // The triage classifier's concepts, negation cues and misspellings (README: Triage and queues). Clinical owns it.
  def('messaging.triageLexicon', {
    category: 'messaging',
    ownerFunction: 'clinical',
    description: 'Triage lexicon: emergency and clinical concepts (EN, ES), negation cues',
    risk: risk('HIGH', 'HIGH'),
    schema: v.triageLexicon,
    defaultValue: DEFAULT_TRIAGE_LEXICON as unknown as JsonValue,
  }),
  def('audit.retentionDays', {
    category: 'audit',
    description: 'Days audit records are kept (at least six years)',
    risk: risk('MEDIUM', 'HIGH'),
    schema: v.retentionDays,
    defaultValue: 2190,
  }),
];

export const CONNECTOR_FIELDS = ['baseUrl', 'scopes', 'writeBackEnabled', 'writeBackMappings'] as const;
export type ConnectorField = (typeof CONNECTOR_FIELDS)[number];

export const SETTING_TEMPLATES: readonly SettingTemplate[] = [
  // Per agent (`ai.agentAutonomy.triage-bot`): what that agent may do alone; unset, the tenant-wide ai.agentAutonomy
  // counts (src/governance/agent-autonomy.ts). HIGH everywhere, owned by clinical: autonomy is a governed change.
  family('ai.agentAutonomy.', '', {
    category: 'ai-behavior',
    description: 'What one AI agent may do on its own',
    risk: risk('HIGH', 'HIGH'),
    schema: v.agentAutonomy,
    defaultValue: { level: 'draft-only', allowedActions: [] },
  }),
  family('ai.promptTemplate.', '', {
    category: 'ai-behavior',
    description: 'A prompt template',
    risk: risk('MEDIUM', 'HIGH'),
    schema: v.promptTemplate,
    defaultValue: { text: 'You are a careful clinical assistant. Escalate anything urgent to a clinician.', variables: [] },
  }),
  family('integration.', '.baseUrl', {
    category: 'integration',
    description: 'FHIR base URL of the connector (null: not configured)',
    risk: risk('MEDIUM', 'HIGH'),
    schema: v.baseUrl,
    defaultValue: null,
  }),
  family('integration.', '.scopes', {
    category: 'integration',
    description: 'SMART v2 scopes the connector requests',
    risk: risk('MEDIUM', 'HIGH'),
    schema: v.smartScopes,
    defaultValue: ['patient/Patient.rs'],
  }),
  family('integration.', '.writeBackEnabled', {
    category: 'integration',
    description: 'Whether drafts are written back to the EHR',
    risk: risk('HIGH', 'HIGH'),
    schema: v.flag,
    defaultValue: false,
  }),
  // Which stored credential the connector authenticates with (src/services/connectors/secret-store.ts): a reference
  // and a fingerprint, never the secret. CRITICAL in production: two approvers of two functions, one of them security.
  // Changed only by an editor who also holds `write` on credentials (system-admin): an integration engineer may
  // move the base URL, never point the connector at another credential (nor revive or promote one).
  family('integration.', '.credentials', {
    category: 'integration',
    description: 'Credential the connector authenticates with (fingerprint only)',
    changeNeeds: { action: 'write', dataClass: 'credentials' },
    risk: risk('MEDIUM', 'CRITICAL'),
    schema: v.credentialRef,
    defaultValue: null,
  }),
  family('integration.', '.writeBackMappings', {
    category: 'integration',
    description: 'Which drafts become which FHIR resources',
    risk: risk('MEDIUM', 'HIGH'),
    schema: v.writeBackMappings,
    defaultValue: [],
  }),
];

const byKey = new Map(SETTING_DEFINITIONS.map((d) => [d.key, d]));

/** The definition of a concrete key (fixed or from a family), or null when the key is not a governed setting. */
export function findSetting(key: string): SettingDefinition | null {
  const fixed = byKey.get(key);
  if (fixed) return fixed;
  for (const t of SETTING_TEMPLATES) {
    if (!key.startsWith(t.prefix) || !key.endsWith(t.suffix) || key.length <= t.prefix.length + t.suffix.length) continue;
    const id = key.slice(t.prefix.length, key.length - t.suffix.length);
    if (!ID_PATTERN.test(id)) continue;
    const { pattern: _p, prefix: _x, suffix: _s, ...rest } = t;
    return { key, ...rest };
  }
  return null;
}

export interface Problem {
  readonly path: string;
  readonly message: string;
}

export type KeyResult = { readonly ok: true; readonly key: string } | { readonly ok: false; readonly problems: Problem[] };

/** The key of a connector's setting; `setWriteBack(id, env, on)` changes `connectorSettingKey(id, 'writeBackEnabled')`. */
export function connectorSettingKey(connectorId: string, field: ConnectorField): KeyResult {
  if (!ID_PATTERN.test(connectorId))
    return { ok: false, problems: [{ path: 'connectorId', message: 'must be lower-case kebab-case, 1 to 63 characters' }] };
  return { ok: true, key: `integration.${connectorId}.${field}` };
}

export function promptTemplateKey(templateId: string): KeyResult {
  if (!ID_PATTERN.test(templateId))
    return { ok: false, problems: [{ path: 'templateId', message: 'must be lower-case kebab-case, 1 to 63 characters' }] };
  return { ok: true, key: `ai.promptTemplate.${templateId}` };
}

export type ValidationResult = { readonly ok: true; readonly value: JsonValue } | { readonly ok: false; readonly problems: Problem[] };

/** `value`, `value.threshold`, `value.weekly[0].close`: the path of a field as people read it. */
function formatPath(root: string, path: readonly PropertyKey[]): string {
  return path.reduce<string>((acc, seg) => (typeof seg === 'number' ? `${acc}[${seg}]` : `${acc}.${String(seg)}`), root);
}

/** Validates a value for a key; every problem names the field (`value.threshold: must be between 0 and 1`). */
export function validateSettingValue(key: string, value: unknown): ValidationResult {
  const definition = findSetting(key);
  if (!definition) return { ok: false, problems: [{ path: 'key', message: `unknown setting "${key}"` }] };
  return validateAgainst(definition.schema, value);
}

export function validateAgainst(schema: z.ZodType<JsonValue>, value: unknown): ValidationResult {
  const parsed = schema.safeParse(value);
  if (parsed.success) return { ok: true, value: parsed.data };
  return { ok: false, problems: parsed.error.issues.map((i) => ({ path: formatPath('value', i.path), message: i.message })) };
}

export const describeProblems = (problems: readonly Problem[]) => problems.map((p) => `${p.path}: ${p.message}`).join('; ');
