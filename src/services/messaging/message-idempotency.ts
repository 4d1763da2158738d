import type { JsonValue } from '../../governance/json.js';
import type { IdempotencyStore } from '../../stores/idempotency-store.js';
import { fingerprintOf, IDEMPOTENCY_TTL_MS, IdempotentOnce } from '../idempotency/idempotent-once.js';

// sendPatientMessage's `idempotencyKey`, through the one implementation of client keys (idempotency/idempotent-once.ts).
// Sends are never retried internally (SMTP and SMS are not idempotent): `send` calls `attempt()` right before the
// message goes to the channel, so an error after it is "outcome unknown" and a retry with that key sends nothing.

/** What identifies "the same request". */
export interface IdempotentRequest {
  readonly patientId: string;
  readonly templateId: string;
  /** As requested (null: the template's default), not as resolved. */
  readonly channel: string | null;
  readonly variables: unknown;
}

/** What a replay needs: told to the caller so it can note the replay (never a second "sent"). */
export type Replay<T> = (result: T) => Promise<void>;

const requestOf = (r: IdempotentRequest): JsonValue =>
  // An omitted `variables` is the empty object, as the send treats it.
  ({ patientId: r.patientId, templateId: r.templateId, channel: r.channel, variables: (r.variables ?? {}) as JsonValue });

export const requestHashOf = (r: IdempotentRequest): string => fingerprintOf(requestOf(r));

export class MessageIdempotency {
  private readonly core: IdempotentOnce;

  constructor(store: IdempotencyStore, ttlMs: number = IDEMPOTENCY_TTL_MS) {
    this.core = new IdempotentOnce(store, ttlMs);
  }

  /** Runs `send` at most once per (tenant, caller, key). */
  once<T>(
    actor: { readonly tenant: string; readonly sub: string },
    key: string,
    request: IdempotentRequest,
    send: (attempt: () => void) => Promise<T>,
    replay: Replay<T>,
  ): Promise<T> {
    return this.core.once(actor, {
      operation: 'sendPatientMessage',
      key,
      request: requestOf(request),
      run: (attempt) => send(attempt),
      replay: async (result) => {
        await replay(result);
        return result;
      },
      nothingDone: 'nothing was sent',
    });
  }
}
