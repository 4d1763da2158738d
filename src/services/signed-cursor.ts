import { createHmac, timingSafeEqual } from 'node:crypto';
import { BadUserInputError } from '../errors/errors.js';

// Opaque, tamper-checked cursors for Relay connections (issue 14): `<payload>.<mac>`, both base64url, the MAC an
// HMAC-SHA256 over the kind, the tenant and the payload. A cursor edited, made up, taken from another list or from
// another tenant is BAD_USER_INPUT; every replica with the same key (derived from AUDIT_HMAC_KEY) accepts the others'.

const MAC_BYTES = 16;

export class SignedCursors {
  private readonly key: Buffer;

  constructor(secret: string | Buffer) {
    // A key of its own, derived from the shared secret: a cursor MAC can never stand for an audit checkpoint's.
    this.key = createHmac('sha256', secret).update('clearance/relay-cursor/v1').digest();
  }

  encode(kind: string, tenant: string, payload: readonly (string | number)[]): string {
    const body = Buffer.from(JSON.stringify(payload)).toString('base64url');
    return `${body}.${this.mac(kind, tenant, body).toString('base64url')}`;
  }

  /** The payload, or BAD_USER_INPUT naming the argument (`after`, `before`). */
  decode(kind: string, tenant: string, cursor: string, field: string): unknown[] {
    const invalid = () => new BadUserInputError(`${field} is not a cursor returned by this field`, field);
    const m = /^([A-Za-z0-9_-]{1,2048})\.([A-Za-z0-9_-]{22})$/.exec(cursor);
    if (!m) throw invalid();
    // Compared as text: base64url's last character has spare bits, so byte equality would accept 4 spellings.
    const given = Buffer.from(m[2]!);
    const expected = Buffer.from(this.mac(kind, tenant, m[1]!).toString('base64url'));
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) throw invalid();
    let payload: unknown;
    try {
      // The MAC covers the text of the payload as sent, so its bytes are exactly what was signed.
      payload = JSON.parse(Buffer.from(m[1]!, 'base64url').toString('utf8'));
    } catch {
      throw invalid();
    }
    if (!Array.isArray(payload)) throw invalid();
    return payload;
  }

  private mac(kind: string, tenant: string, body: string): Buffer {
    return createHmac('sha256', this.key).update(`${kind}\n${tenant}\n${body}`).digest().subarray(0, MAC_BYTES);
  }
}
