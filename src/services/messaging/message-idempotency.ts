import { createHash } from 'node:crypto';
import { BadUserInputError, ClearanceError, ConflictError } from '../../errors/errors.js';
import { canonicalJson, type JsonValue } from '../../governance/json.js';
import type { GovernanceStore } from '../../stores/governance-store.js';

// sendPatientMessage's `idempotencyKey` (like Stripe's Idempotency-Key): a client that timed out may retry with the
// same key and is answered the first answer instead of messaging the patient twice (sends are never retried
// internally: SMTP and SMS are not idempotent). Keys are scoped to the tenant and the caller (token `sub`), so
// another caller's key neither collides nor reveals anything, and they are kept for 24 hours.
//
// The key is claimed in the store before anything is sent, so of two concurrent requests only one sends. Then:
// - an answer (SENT, or FAILED after the channel refused or timed out) is stored and replayed as is: a FAILED
//   TIMEOUT may have been delivered, so only a new key sends again;
// - an error before the channel was called (stopped, refused input, no address, no EHR) frees the key: nothing went
//   out, so a retry with the same key may proceed;
// - an error after the channel was called (the Communication or audit write failed) stores "outcome unknown": a
//   retry gets CONFLICT IDEMPOTENCY_KEY_OUTCOME_UNKNOWN instead of risking a second message.
// If the store cannot record the outcome the key stays in flight until it expires: safe, never a double send.

export const IDEMPOTENCY_TTL_MS = 24 * 60 * 60 * 1000;
const KEY_PATTERN = /^[A-Za-z0-9._:-]{1,200}$/;

export type IdempotencyStore = Pick<GovernanceStore, 'claimIdempotencyKey' | 'completeIdempotencyKey' | 'releaseIdempotencyKey'>;

/** What identifies "the same request": compared by a hash of its canonical JSON (object keys sorted). */
export interface IdempotentRequest {
  readonly patientId: string;
  readonly templateId: string;
  /** As requested (null: the template's default), not as resolved. */
  readonly channel: string | null;
  readonly variables: unknown;
}

/** What a replay needs: told to the caller so it can note the replay (never a second "sent"). */
export type Replay<T> = (result: T) => Promise<void>;

type Stored<T> = { readonly result: T } | { readonly unknown: true };

const sha256 = (text: string) => createHash('sha256').update(text, 'utf8').digest('hex');

export function checkIdempotencyKey(key: string): string {
  if (!KEY_PATTERN.test(key)) throw new BadUserInputError('idempotencyKey must be 1 to 200 characters of A-Z, a-z, 0-9, ".", "_", ":" or "-".', 'idempotencyKey');
  return key;
}

/** The store's key: a hash, so the caller's `sub` and the client's key are neither stored nor length-bound. */
export const scopeKeyFor = (sub: string, key: string): string => sha256(`${sub}\u0000${key}`);

export function requestHashOf(r: IdempotentRequest): string {
  // An omitted `variables` is the empty object, as the send treats it.
  const request = { patientId: r.patientId, templateId: r.templateId, channel: r.channel, variables: (r.variables ?? {}) as JsonValue };
  return sha256(JSON.stringify(canonicalJson(request)));
}

export class MessageIdempotency {
  constructor(private readonly store: IdempotencyStore, private readonly ttlMs: number = IDEMPOTENCY_TTL_MS) {}

  /**
   * Runs `send` at most once per (tenant, caller, key). `send` must call `attempt()` right before the message goes to
   * the channel: errors after it are of unknown outcome.
   */
  async once<T>(actor: { readonly tenant: string; readonly sub: string }, key: string, request: IdempotentRequest, send: (attempt: () => void) => Promise<T>, replay: Replay<T>): Promise<T> {
    const scope = scopeKeyFor(actor.sub, checkIdempotencyKey(key));
    const hash = requestHashOf(request);
    const claim = await this.store.claimIdempotencyKey(actor.tenant, scope, hash, this.ttlMs);
    if (claim.state === 'mismatch') {
      throw new ConflictError('IDEMPOTENCY_KEY_REUSED', 'This idempotencyKey was used for a different request (patient, template, channel or variables): nothing was sent. Use a new key.');
    }
    if (claim.state === 'in-flight') {
      throw new ClearanceError('CONFLICT', 'A request with this idempotencyKey is still being processed: nothing more was sent. Retry shortly.', { reason: 'IDEMPOTENCY_KEY_IN_FLIGHT', retryable: true });
    }
    if (claim.state === 'completed') {
      const stored = JSON.parse(claim.result) as Stored<T>;
      if ('unknown' in stored) {
        throw new ConflictError('IDEMPOTENCY_KEY_OUTCOME_UNKNOWN', 'The first request with this idempotencyKey failed after the message was handed to the channel, so it may have been delivered: nothing more was sent. Check the patient\'s Communications; use a new key to send again.');
      }
      await replay(stored.result);
      return stored.result;
    }
    let attempted = false;
    let result: T;
    try {
      result = await send(() => {
        attempted = true;
      });
    } catch (e) {
      await this.settle(() => (attempted ? this.store.completeIdempotencyKey(actor.tenant, scope, hash, JSON.stringify({ unknown: true })) : this.store.releaseIdempotencyKey(actor.tenant, scope, hash)));
      throw e;
    }
    await this.settle(() => this.store.completeIdempotencyKey(actor.tenant, scope, hash, JSON.stringify({ result })));
    return result;
  }

  // The request's own outcome (the answer, or its error) matters more than the bookkeeping: a store failure here
  // leaves the key in flight until it expires, which never sends twice.
  private async settle(step: () => Promise<void>): Promise<void> {
    try {
      await step();
    } catch {
      /* kept in flight: see above */
    }
  }
}
