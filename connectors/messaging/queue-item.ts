import type { Communication, Extension } from '@medplum/fhirtypes';
import { hasSensitiveLabel, sensitivityOfText } from '../ehr/sensitivity.js';
import type { Queue } from './inbound-routing.js';
import { QUEUE_SYSTEM, QUEUES } from './inbox.js';

// A message in a work queue is its inbound FHIR Communication (inbox.ts); working it changes that resource, so
// every replica and the EHR see the same state. Pure: reading an item and the transitions claim, close and escalate,
// each returning the new resource (written by the caller with If-Match, so two people never both win) or a refusal.
// State lives in extensions (http://hl7.org/fhir/R4/extensibility.html): who claimed it and when, how often it was
// escalated; closing sets status `completed` with the reason as `statusReason`.

const EXT = {
  triage: 'urn:clearance:triage-level',
  concept: 'urn:clearance:triage-concept',
  claimedBy: 'urn:clearance:claimed-by',
  claimedAt: 'urn:clearance:claimed-at',
  escalation: 'urn:clearance:escalation-level',
  escalatedAt: 'urn:clearance:escalated-at',
  closedBy: 'urn:clearance:closed-by',
} as const;

type ItemStatus = 'WAITING' | 'CLAIMED' | 'CLOSED';

export interface QueueItem {
  readonly id: string;
  readonly versionId: string;
  readonly queue: Queue;
  readonly status: ItemStatus;
  readonly priority: string;
  readonly patientId: string;
  readonly receivedAt: string;
  readonly claimedBy: string | null;
  readonly claimedAt: string | null;
  readonly escalationLevel: number;
  readonly triageLevel: string | null;
  readonly concept: string | null;
  readonly closeReason: string | null;
  readonly text: string;
  /**
   * The text is sensitive (HIV, substance use, mental health): labelled so when routed (inbox.ts), or by its words
   * (connectors/ehr/sensitivity.ts) for a message routed before the label or written by another system. Reading it
   * needs `read` on `sensitive` for the patient (src/resolvers/messaging.ts).
   */
  readonly sensitive: boolean;
}

const ext = (c: Communication, url: string): Extension | undefined => c.extension?.find((e) => e.url === url);
const str = (c: Communication, url: string) => ext(c, url)?.valueString ?? ext(c, url)?.valueCode ?? ext(c, url)?.valueDateTime ?? null;

/** The item a Communication is, or null when it is not an inbound message of a queue. */
export function queueItemOf(c: Communication): QueueItem | null {
  const queue = c.category?.flatMap((cc) => cc.coding ?? []).find((x) => x.system === QUEUE_SYSTEM)?.code as Queue | undefined;
  const patient = c.sender?.reference?.match(/^Patient\/(.+)$/)?.[1];
  if (!c.id || !queue || !QUEUES.includes(queue) || !patient) return null;
  const claimedBy = str(c, EXT.claimedBy);
  const status: ItemStatus = c.status === 'in-progress' ? (claimedBy ? 'CLAIMED' : 'WAITING') : 'CLOSED';
  const text = c.payload?.map((p) => p.contentString ?? '').join('\n') ?? '';
  return {
    id: c.id,
    versionId: c.meta?.versionId ?? '',
    queue,
    status,
    priority: c.priority ?? 'routine',
    patientId: patient,
    receivedAt: c.received ?? '',
    claimedBy,
    claimedAt: str(c, EXT.claimedAt),
    escalationLevel: ext(c, EXT.escalation)?.valueInteger ?? 0,
    triageLevel: str(c, EXT.triage),
    concept: str(c, EXT.concept),
    closeReason: c.status === 'completed' ? (c.statusReason?.text ?? null) : null,
    text,
    sensitive: hasSensitiveLabel(c.meta) || sensitivityOfText(text) !== null,
  };
}

/**
 * Whether reading the item's text is reading clinical content (asked of rules/decide.ts as `observations`); a sensitive
 * text is clinical wherever it waits, and needs `sensitive` on top (src/resolvers/messaging.ts).
 */
export const isClinical = (item: { readonly queue: string; readonly triageLevel?: string | null; readonly sensitive?: boolean }): boolean =>
  item.queue === 'on-call' ||
  item.queue === 'nurse-triage' ||
  item.triageLevel === 'emergency' ||
  item.triageLevel === 'clinical' ||
  item.sensitive === true;

export type Refusal = 'CLOSED' | 'CLAIMED_BY_OTHER' | 'NOT_CLAIMED';
export type Transition =
  { readonly ok: true; readonly resource: Communication & { id: string } } | { readonly ok: false; readonly refusal: Refusal };

const withExtensions = (c: Communication & { id: string }, set: readonly Extension[]): Communication & { id: string } => ({
  ...c,
  extension: [...(c.extension ?? []).filter((e) => !set.some((s) => s.url === e.url)), ...set],
});

export function claim(c: Communication & { id: string }, sub: string, at: string): Transition {
  const item = queueItemOf(c);
  if (!item || item.status === 'CLOSED') return { ok: false, refusal: 'CLOSED' };
  if (item.claimedBy && item.claimedBy !== sub) return { ok: false, refusal: 'CLAIMED_BY_OTHER' };
  return { ok: true, resource: withExtensions(c, [{ url: EXT.claimedBy, valueString: sub }, { url: EXT.claimedAt, valueDateTime: at }]) };
}

/** Replying and closing are for the one who claimed the item. */
export function mayWork(c: Communication, sub: string): Refusal | null {
  const item = queueItemOf(c);
  if (!item || item.status === 'CLOSED') return 'CLOSED';
  if (item.claimedBy === null) return 'NOT_CLAIMED';
  return item.claimedBy === sub ? null : 'CLAIMED_BY_OTHER';
}

export function close(c: Communication & { id: string }, sub: string, reason: string, at: string): Transition {
  const refusal = mayWork(c, sub);
  if (refusal) return { ok: false, refusal };
  return {
    ok: true,
    resource: {
      ...withExtensions(c, [{ url: EXT.closedBy, valueString: sub }]),
      status: 'completed',
      statusReason: { text: reason },
      sent: at,
    },
  };
}

export function escalate(c: Communication & { id: string }, level: number, at: string): Communication & { id: string } {
  return withExtensions(c, [{ url: EXT.escalation, valueInteger: level }, { url: EXT.escalatedAt, valueDateTime: at }]);
}

/** When the item is due: received plus its queue's SLA. */
export const dueAt = (item: Pick<QueueItem, 'receivedAt'>, slaMinutes: number): string =>
  new Date(Date.parse(item.receivedAt) + slaMinutes * 60_000).toISOString();

/**
 * Whether an unclaimed emergency is due for its next escalation: the first one SLA after it arrived, each next one
 * another SLA later, until someone claims it.
 */
export function escalationDue(item: QueueItem, slaMinutes: number, nowMs: number): boolean {
  if (item.queue !== 'on-call' || item.status !== 'WAITING') return false;
  return nowMs >= Date.parse(item.receivedAt) + slaMinutes * 60_000 * (item.escalationLevel + 1);
}
