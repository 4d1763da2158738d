import { sensitivityOfText, type SensitivityCode } from '../ehr/sensitivity.js';
import { classify, compileLexicon, type TriageResult } from './triage-classify.js';
import type { TriageLexicon } from './triage-lexicon.js';

// Which queue an inbound patient message lands in. Pure: the rules (governed settings) and the time come in.
// Triage first (triage-classify.ts, with the clinical-owned lexicon and emergency rules): an affirmed emergency goes
// to on-call and always wins, in or out of office hours; anything clinical that is not an emergency goes to nurse
// triage, never to the front desk or billing; a message whose text is sensitive (HIV, substance use, mental health:
// the same sensitivityOfText that decides a note, one vocabulary) goes to nurse triage too, never to the front desk or
// billing, whatever the routing rules say; then the routing rules in order (keywords, language); otherwise the
// front desk. Outside office hours a non-emergency message keeps its queue and is marked to be answered when the
// office opens.

export type Queue = 'nurse-triage' | 'front-desk' | 'billing' | 'on-call';

export interface RoutingRule {
  readonly match: { readonly keywords?: readonly string[]; readonly language?: string };
  readonly queue: 'nurse-triage' | 'front-desk' | 'billing';
}

export interface EmergencyRule {
  readonly keywords: readonly string[];
  readonly action: string;
}

export interface OfficeHours {
  readonly timezone: string;
  readonly weekly: readonly { readonly day: string; readonly open: string; readonly close: string }[];
}

export interface RouteDecision {
  readonly queue: Queue;
  /** Which rule matched: `emergency[0]` (an emergency rule), `triage:<concept>`, `sensitive`, `routing[1]` or `default`. */
  readonly rule: string;
  readonly emergency: boolean;
  /** For an emergency: the rule's action (advise-emergency-services, page-on-call...). */
  readonly action: string | null;
  readonly matched: string | null;
  readonly withinOfficeHours: boolean;
  /** The classifier's decision and its findings (concept, words, negation), for the explanation. */
  readonly triage: TriageResult;
  /**
   * The sensitive category the text names (connectors/ehr/sensitivity.ts), or null: the queue item is labelled with
   * it, and its text is then for who may read sensitive data of the patient.
   */
  readonly sensitive: SensitivityCode | null;
}

export interface RoutingInput {
  readonly routing: readonly RoutingRule[];
  readonly emergency: readonly EmergencyRule[];
  readonly officeHours: OfficeHours;
  readonly lexicon: TriageLexicon;
}

const normalize = (s: string) =>
  ` ${s
    .toLowerCase()
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[^a-z0-9]+/g, ' ')
    .trim()} `;
const contains = (text: string, keyword: string) => text.includes(normalize(keyword));

const DAYS = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'];

export function withinOfficeHours(hours: OfficeHours, at: Date): boolean {
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat('en-US', { timeZone: hours.timezone, weekday: 'short', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' })
      .formatToParts(at)
      .map((p) => [p.type, p.value]),
  );
  const day = DAYS.find((d) => d === String(parts.weekday).toLowerCase().slice(0, 3));
  const hhmm = `${parts.hour}:${parts.minute}`;
  return hours.weekly.some((w) => w.day === day && w.open <= hhmm && hhmm < w.close);
}

export function routeInbound(
  text: string,
  rules: RoutingInput,
  context: { at: Date; language?: string | null },
): RouteDecision {
  const open = withinOfficeHours(rules.officeHours, context.at);
  const extra = rules.emergency.map((r, i) => ({ id: `emergency[${i}]`, keywords: r.keywords, action: r.action }));
  const triage = classify(text, compileLexicon(rules.lexicon, extra));
  const common = { withinOfficeHours: open, triage, sensitive: sensitivityOfText(text) };
  const decided = triage.findings.find((f) => f.concept === triage.concept && (triage.level !== 'emergency' || f.status === 'affirmed'));
  const matched = decided?.words ?? null;
  const ruleOf = (concept: string) => (concept.startsWith('emergency[') ? concept : `triage:${concept}`);
  if (triage.level === 'emergency' && triage.concept)
    return { queue: 'on-call', rule: ruleOf(triage.concept), emergency: true, action: triage.action, matched, ...common };
  if (triage.level === 'clinical' && triage.concept)
    return { queue: 'nurse-triage', rule: ruleOf(triage.concept), emergency: false, action: null, matched, ...common };
  // Sensitive words are clinical content: the clinical triage queue, before any routing rule could send them elsewhere.
  if (common.sensitive) return { queue: 'nurse-triage', rule: 'sensitive', emergency: false, action: null, matched: null, ...common };
  const t = normalize(text);
  for (const [i, rule] of rules.routing.entries()) {
    if (rule.match.language && rule.match.language !== (context.language ?? 'en')) continue;
    const keywords = rule.match.keywords ?? [];
    const hit = keywords.find((k) => contains(t, k)) ?? null;
    if (keywords.length === 0 || hit)
      return { queue: rule.queue, rule: `routing[${i}]`, emergency: false, action: null, matched: hit, ...common };
  }
  return { queue: 'front-desk', rule: 'default', emergency: false, action: null, matched: null, ...common };
}
