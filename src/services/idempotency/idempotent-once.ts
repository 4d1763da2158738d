import { createHash } from 'node:crypto';
import { BadUserInputError, ClearanceError, ConflictError } from '../../errors/errors.js';
import { canonicalJson, type JsonValue } from '../../governance/json.js';
import type { IdempotencyStore } from '../../stores/idempotency-store.js';

// Client idempotency keys (like Stripe's Idempotency-Key), one implementation for every mutation that takes one
// (sendPatientMessage, writeBackNote, recordObservation, proposeMedicationRequest, issueRefund). A key is scoped to the tenant,
// the caller (token `sub`) and the operation, so another caller's or another operation's key neither collides nor
// reveals anything; it is kept for 24 hours. The request is fingerprinted (a hash of its canonical JSON): the same
// key with the same request answers the first answer again, with a different request it is CONFLICT
// IDEMPOTENCY_KEY_REUSED and nothing is done, so a reused key can never silently drop a second request.
//
// The key is claimed in the store before anything is done, so of two concurrent requests only one acts. Then:
// - an answer is stored and replayed as is;
// - an error before the effect was attempted frees the key: nothing happened, so a retry with the same key may
//   proceed (effects that are themselves idempotent, such as a conditional FHIR create, never call `attempt`);
// - an error after `attempt()` stores "outcome unknown": a retry gets CONFLICT IDEMPOTENCY_KEY_OUTCOME_UNKNOWN
//   instead of risking a second effect.
// If the store cannot record the outcome the key stays in flight until it expires: safe, never a double effect.

export const IDEMPOTENCY_TTL_MS = 24 * 60 * 60 * 1000;
const KEY_PATTERN = /^[A-Za-z0-9._:-]{1,200}$/;

/** The operations that take a key: part of the key's scope. */
export type IdempotentOperation = 'sendPatientMessage' | 'writeBackNote' | 'recordObservation' | 'proposeMedicationRequest' | 'issueRefund';

export interface IdempotencyActor {
  readonly tenant: string;
  readonly sub: string;
}

type Stored<T> = { readonly result: T } | { readonly unknown: true };

const sha256 = (text: string) => createHash('sha256').update(text, 'utf8').digest('hex');

function checkIdempotencyKey(key: string): string {
  if (!KEY_PATTERN.test(key))
    throw new BadUserInputError('idempotencyKey must be 1 to 200 characters of A-Z, a-z, 0-9, ".", "_", ":" or "-".', 'idempotencyKey');
  return key;
}

/** The store's key: a hash, so the caller's `sub` and the client's key are neither stored nor length-bound. */
export const scopeKeyFor = (sub: string, operation: IdempotentOperation, key: string): string =>
  sha256(`${sub}\u0000${operation}\u0000${key}`);

/** The request's fingerprint: a hash of its canonical JSON (object keys sorted). */
export const fingerprintOf = (request: JsonValue): string => sha256(JSON.stringify(canonicalJson(request)));

export interface OnceOptions<T> {
  readonly operation: IdempotentOperation;
  readonly key: string;
  /** What makes "the same request" (the key itself excluded). */
  readonly request: JsonValue;
  /** Runs the request; `scope` is the key's scoped hash (a stable id for effects that need one). */
  readonly run: (attempt: () => void, scope: string) => Promise<T>;
  /** Called with the stored answer of a replay; returns what the caller gets. */
  readonly replay: (result: T) => Promise<T>;
  /** What a refusal says was not done: "nothing was sent", "nothing was written". */
  readonly nothingDone: string;
}

export class IdempotentOnce {
  constructor(private readonly store: IdempotencyStore, private readonly ttlMs: number = IDEMPOTENCY_TTL_MS) {}

  /** Runs `run` at most once per (tenant, caller, operation, key). */
  async once<T>(actor: IdempotencyActor, options: OnceOptions<T>): Promise<T> {
    const scope = scopeKeyFor(actor.sub, options.operation, checkIdempotencyKey(options.key));
    const hash = fingerprintOf(options.request);
    const claim = await this.store.claim(actor.tenant, scope, hash, this.ttlMs);
    if (claim.state === 'mismatch') {
      throw new ConflictError(
        'IDEMPOTENCY_KEY_REUSED',
        `This idempotencyKey was used for a different ${options.operation} request: ${options.nothingDone}. Use a new key.`,
      );
    }
    if (claim.state === 'in-flight') {
      throw new ClearanceError(
        'CONFLICT',
        `A request with this idempotencyKey is still being processed: ${options.nothingDone} again. Retry shortly.`,
        {
          reason: 'IDEMPOTENCY_KEY_IN_FLIGHT',
          retryable: true,
        },
      );
    }
    if (claim.state === 'completed') {
      const stored = JSON.parse(claim.result) as Stored<T>;
      if ('unknown' in stored) {
        throw new ConflictError(
          'IDEMPOTENCY_KEY_OUTCOME_UNKNOWN',
          `The first request with this idempotencyKey failed after its effect was attempted, so it may have taken place: ` +
          `${options.nothingDone} again. Use a new key to try again.`,
        );
      }
      return options.replay(stored.result);
    }
    let attempted = false;
    let result: T;
    try {
      result = await options.run(() => {
        attempted = true;
      }, scope);
    } catch (e) {
      await this.settle(() => (attempted
        ? this.store.complete(actor.tenant, scope, hash, JSON.stringify({ unknown: true }))
        : this.store.release(actor.tenant, scope, hash)));
      throw e;
    }
    await this.settle(() => this.store.complete(actor.tenant, scope, hash, JSON.stringify({ result })));
    return result;
  }

  // The request's own outcome (the answer, or its error) matters more than the bookkeeping: a store failure here
  // leaves the key in flight until it expires, which never acts twice.
  private async settle(step: () => Promise<void>): Promise<void> {
    try {
      await step();
    } catch {
      /* kept in flight: see above */
    }
  }
}
