import { z } from 'zod';
import { placeholdersOf } from '../../spec/template-placeholders.js';
import { DESTINATION_REFUSED, isRefusedDestination } from './connector-destination.js';
import { moneyAmountSchema } from './money.js';

// The zod schemas of setting values, one per kind of setting. Messages are written for people: a bad value is
// reported as "value.threshold: must be between 0 and 1" (see validateSettingValue in setting-catalog.ts).

const between = (min: number, max: number) =>
  z.number().min(min, `must be between ${min} and ${max}`).max(max, `must be between ${min} and ${max}`);
const intBetween = (min: number, max: number) => between(min, max).int('must be a whole number');
const text = (max: number) => z.string().trim().min(1, 'must not be empty').max(max, `must be at most ${max} characters`);
const unique = <T extends z.ZodType>(item: T) =>
  z.array(item).refine((xs) => new Set(xs.map((x) => JSON.stringify(x))).size === xs.length, 'must not contain duplicates');

/**
 * https only, except http on localhost (the embedded dev FHIR server). No credentials inside the URL. Never a
 * link-local or cloud metadata host, however written (connector-destination.ts).
 */
const serviceUrl = z
  .string()
  .refine((s) => URL.canParse(s), 'must be an absolute URL')
  .refine((s) => {
    if (!URL.canParse(s)) return true;
    const u = new URL(s);
    return u.protocol === 'https:' || (u.protocol === 'http:' && ['localhost', '127.0.0.1', '[::1]'].includes(u.hostname));
  }, 'must use https (http only on localhost)')
  .refine((s) => !URL.canParse(s) || (new URL(s).username === '' && new URL(s).password === ''), 'must not contain credentials')
  .refine((s) => !isRefusedDestination(s), DESTINATION_REFUSED);

// The amount is checked by the one money check refunds use (money.ts): a threshold a refund could never equal
// (10.005) is refused, and 0.07 is accepted.
const money = z.strictObject({
  amount: moneyAmountSchema('zero'),
  currency: z.string().regex(/^[A-Z]{3}$/, 'must be an ISO 4217 code such as USD'),
});

const hhmm = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'must be a time HH:MM');
const QUEUES = ['nurse-triage', 'front-desk', 'billing'] as const;
const locale = z.string().regex(/^[a-z]{2}(-[A-Z]{2})?$/, 'must be a locale such as en or es-US');
const placeholderSet = (s: string) => placeholdersOf(s).sort().join(', ');
const CHANNELS = ['sms', 'email', 'portal', 'voice'] as const;

/** One patient message template: locale, default channel, subject, body and translations. */
const messagingTemplate = z
  .strictObject({
    locale,
    channel: z.enum(CHANNELS),
    subject: text(200).optional(),
    body: text(2_000),
    /** Per language (`es`, `zh`): the same message translated; picked by the patient's preferred language. */
    translations: z.record(locale, z.strictObject({ subject: text(200).optional(), body: text(2_000) })).optional(),
  })
  // A translation that asks for other values than the original would fail (or leak a placeholder) for some
  // patients only: every translation must use exactly the original's placeholders.
  .superRefine((t, ctx) => {
    const want = placeholderSet(`${t.subject ?? ''} ${t.body}`);
    for (const [lang, tr] of Object.entries(t.translations ?? {})) {
      if (placeholderSet(`${tr.subject ?? ''} ${tr.body}`) !== want)
        ctx.addIssue({
          code: 'custom',
          path: ['translations', lang, 'body'],
          message: `must use the same placeholders as the original (${want || 'none'})`,
        });
    }
  });

// The triage lexicon (compiled by connectors/messaging/triage-lexicon.ts). A term never starts with a gap; a lexicon keeps at
// least one emergency concept, so a change can narrow what pages on-call but never switch triage off.
const term = text(80).refine((t) => !/^\s*\*(\s|$)/.test(t), 'must not start with a * gap');
const terms = z.array(term).max(400, 'must have at most 400 terms');
const cues = z.strictObject({ pre: terms, post: terms, historical: terms, pseudo: terms, terminators: terms });
const triageLexicon = z.strictObject({
  reference: text(300),
  concepts: z
    .array(
      z.strictObject({
        id: z.string().regex(/^[a-z][a-z0-9-]{0,62}$/, 'must be kebab-case'),
        level: z.enum(['emergency', 'clinical'], 'must be emergency or clinical'),
        action: z.enum(
          ['advise-emergency-services', 'crisis-line', 'nurse-triage'],
          'must be advise-emergency-services, crisis-line or nurse-triage',
        ),
        terms: z.strictObject({ en: terms.optional(), es: terms.optional() }),
      }),
    )
    .min(1, 'must have at least one concept')
    .refine((cs) => cs.some((c) => c.level === 'emergency'), 'must keep at least one emergency concept')
    .refine((cs) => new Set(cs.map((c) => c.id)).size === cs.length, 'concept ids must be unique'),
  negation: z.strictObject({ en: cues, es: cues }),
  exclusions: terms,
  window: z.strictObject({ pre: intBetween(0, 6), post: intBetween(0, 8) }),
  misspellings: z.record(z.string().regex(/^[a-z0-9]{1,40}$/, 'must be one lower-case word'), text(60)),
  neverCorrect: z.array(z.string().regex(/^[a-z0-9]{1,40}$/, 'must be one lower-case word')),
});

export const settingValueSchemas = {
  model: z.strictObject({
    provider: text(60),
    model: text(120),
    temperature: between(0, 2),
  }),
  promptTemplate: z.strictObject({
    text: text(20_000),
    variables: unique(z.string().regex(/^[a-zA-Z][a-zA-Z0-9_]*$/, 'must be an identifier')),
  }),
  guardrails: z.strictObject({
    blockedTopics: unique(text(100)),
    requireCitations: z.boolean(),
    redactPhiInLogs: z.literal(true, 'must be true: PHI never reaches logs'),
    maxOutputTokens: intBetween(1, 16_384),
  }),
  safetyThreshold: z.strictObject({ threshold: between(0, 1) }),
  agentAutonomy: z.strictObject({
    level: z.enum(['off', 'draft-only', 'act-with-approval', 'autonomous'], 'must be off, draft-only, act-with-approval or autonomous'),
    /**
     * Actions the agent may do alone at level autonomous (src/governance/agent-autonomy.ts): task names, or the
     * governed actions `setting:update:<key>` and `ehr:write:<ResourceType>`.
     */
    allowedActions: unique(
      z.union(
        [
          z.enum(['send-message', 'write-note', 'request-refill', 'create-task']),
          z.string().regex(/^(setting:update:[a-z][A-Za-z0-9.-]*|ehr:write:[A-Z][A-Za-z]+)$/),
        ],
        'must be send-message, write-note, request-refill, create-task, setting:update:<key> or ehr:write:<ResourceType>',
      ),
    ),
  }),
  /** null: the connector is not configured in this environment. */
  baseUrl: serviceUrl.nullable(),
  credentialRef: z
    .strictObject({
      method: z.enum(['private_key_jwt', 'client_secret_basic']),
      clientId: z.string().regex(/^[\x21-\x7e]{1,200}$/, 'must be 1 to 200 visible characters'),
      fingerprint: z.string().regex(/^(jwk:[A-Za-z0-9_-]{43}|hmac:[0-9a-f]{32})$/, 'must be a credential fingerprint'),
      /**
       * The origin the credential is sent to (src/services/connectors/secret-store.ts): shown to approvers; it must
       * match the origin sealed with the credential, else the credential is sent nowhere. Absent: set before binding.
       */
      boundOrigin: z
        .string()
        .regex(/^https?:\/\/[^/?#@\s]+$/, 'must be an origin such as https://ehr.example')
        .nullable()
        .optional(),
    })
    .nullable(),
  smartScopes: unique(
    z
      .string()
      .regex(
        /^(patient|user|system)\/([A-Z][A-Za-z]+|\*)\.(?=[cruds])c?r?u?d?s?$/,
        'must be a SMART v2 scope such as patient/Observation.rs',
      ),
  ),
  flag: z.boolean(),
  writeBackMappings: unique(
    z.strictObject({
      source: z.enum(['visit-summary', 'triage-note', 'medication-reconciliation', 'care-plan'], 'must be a known draft source'),
      resourceType: z.string().regex(/^[A-Z][A-Za-z]+$/, 'must be a FHIR resource type'),
      mode: z.enum(['create', 'update'], 'must be create or update'),
    }),
  ),
  webhookRoutes: unique(
    z.strictObject({ event: z.string().regex(/^[a-z]+(\.[a-z-]+)+$/, 'must be an event name such as patient.updated'), url: serviceUrl }),
  ),
  /** Up to 31 days: the refund ledgers keep that long (src/stores/governance-store.ts LEDGER_RETENTION_MS). */
  refundWindowHours: intBetween(1, 744),
  reminderCadenceDays: z
    .array(intBetween(1, 365))
    .min(1, 'must have at least one reminder')
    .max(10, 'must have at most 10 reminders')
    .refine((xs) => xs.every((x, i) => i === 0 || x > (xs[i - 1] ?? 0)), 'must be strictly increasing'),
  money,
  failedPaymentEscalation: z.strictObject({
    afterAttempts: intBetween(1, 10),
    escalateTo: z.enum(QUEUES, 'must be nurse-triage, front-desk or billing'),
    pauseAutoCollection: z.boolean(),
  }),
  messagingTemplates: z.record(z.string().regex(/^[a-z][a-z0-9-]*$/, 'template ids must be kebab-case'), messagingTemplate),
  /** The answer sent at once to an emergency message: `emergency`, and `crisis` for self-harm (no placeholders). */
  emergencyReplies: z.strictObject({ emergency: messagingTemplate, crisis: messagingTemplate }).superRefine((r, ctx) => {
    for (const kind of ['emergency', 'crisis'] as const) {
      const t = r[kind];
      if (
        [t.body, t.subject ?? '', ...Object.values(t.translations ?? {}).map((x) => `${x.body} ${x.subject ?? ''}`)].some(
          (x) => placeholdersOf(x).length > 0,
        )
      ) {
        ctx.addIssue({
          code: 'custom',
          path: [kind, 'body'],
          message: 'must not use placeholders: the answer goes out at once, with nothing to fill them',
        });
      }
    }
  }),
  /** Minutes within which an item of each queue should be picked up; an unclaimed on-call item escalates after it. */
  queueSla: z.strictObject({
    'on-call': intBetween(1, 120),
    'nurse-triage': intBetween(5, 10_080),
    'front-desk': intBetween(5, 20_160),
    billing: intBetween(5, 20_160),
  }),
  /** Who is paged, in order, when an on-call emergency stays unclaimed: the first escalation pages the second entry. */
  onCallRoster: z
    .array(z.strictObject({ name: text(100), email: z.string().email('must be an email address').max(200) }))
    .max(20, 'must have at most 20 people'),
  channels: unique(z.enum(CHANNELS, 'must be sms, email, portal or voice')).min(1, 'must enable at least one channel'),
  officeHours: z.strictObject({
    timezone: z.string().regex(/^[A-Za-z]+(\/[A-Za-z0-9_+-]+)+$|^UTC$/, 'must be an IANA time zone such as America/New_York'),
    weekly: z.array(
      z
        .strictObject({ day: z.enum(['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun']), open: hhmm, close: hhmm })
        .refine((d) => d.open < d.close, { message: 'must close after it opens', path: ['close'] }),
    ),
  }),
  routingRules: z.array(
    z.strictObject({
      match: z.strictObject({
        keywords: unique(text(60)).optional(),
        language: z
          .string()
          .regex(/^[a-z]{2}$/, 'must be a language code such as es')
          .optional(),
      }),
      queue: z.enum(QUEUES, 'must be nurse-triage, front-desk or billing'),
    }),
  ),
  emergencyEscalationRules: z
    .array(
      z.strictObject({
        keywords: unique(text(60)).min(1, 'must have at least one keyword'),
        action: z.enum(['advise-emergency-services', 'page-on-call', 'nurse-triage-urgent'], 'must be a known escalation action'),
      }),
    )
    .min(1, 'must keep at least one emergency rule'),
  triageLexicon,
  mfaPolicy: z.strictObject({
    requiredFor: z.enum(['all-users', 'admins-and-approvers'], 'must be all-users or admins-and-approvers'),
    requiredForApprovals: z.literal(true, 'must be true: approvals always need MFA where rules say so'),
    maxSessionHours: intBetween(1, 24),
  }),
  /**
   * Where approver notifications are emailed (issue 14): a person (the token's `sub`) and an address; `escalations`
   * also sends them the page of an unclaimed emergency. One entry per person.
   */
  approverContacts: z
    .array(
      z.strictObject({ sub: text(200), email: z.string().email('must be an email address').max(200), escalations: z.boolean().optional() }),
    )
    .max(500, 'must have at most 500 people')
    .refine((xs) => new Set(xs.map((x) => x.sub)).size === xs.length, 'must name each person once'),
  /** HIPAA documentation is kept six years: 2190 days is the floor. */
  retentionDays: intBetween(2190, 36_500),
} as const;

export type TriageLexiconValue = z.infer<typeof triageLexicon>;
export type EmergencyRepliesValue = z.infer<(typeof settingValueSchemas)['emergencyReplies']>;
