import { createHmac, timingSafeEqual } from 'node:crypto';

// Signed webhooks (issue 14): `Clearance-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256(secret, "<t>.<body>")>`,
// the scheme Stripe made familiar. Signing the timestamp with the body lets a receiver refuse a replayed delivery
// (an old `t`) as well as a forged one; `Clearance-Delivery` (the same id on every retry) lets it drop a duplicate.

export const SIGNATURE_HEADER = 'clearance-signature';
export const DELIVERY_HEADER = 'clearance-delivery';
export const EVENT_HEADER = 'clearance-event';

export function signWebhook(secret: string, timestampSec: number, body: string): string {
  const v1 = createHmac('sha256', secret).update(`${timestampSec}.${body}`).digest('hex');
  return `t=${timestampSec},v1=${v1}`;
}

export type SignatureCheck =
  { readonly ok: true; readonly timestamp: number } | { readonly ok: false; readonly reason: 'MALFORMED' | 'BAD_SIGNATURE' | 'TOO_OLD' };

/** What a receiver runs: the signature over the raw body, and the timestamp within `toleranceSec` of its clock. */
export function verifyWebhookSignature(
  secret: string,
  header: string | null | undefined,
  rawBody: string,
  nowSec: number,
  toleranceSec = 300,
): SignatureCheck {
  const parts = Object.fromEntries((header ?? '').split(',').map((p) => p.trim().split('=', 2) as [string, string]));
  const t = Number(parts.t);
  if (!Number.isSafeInteger(t) || !/^[0-9a-f]{64}$/.test(parts.v1 ?? '')) return { ok: false, reason: 'MALFORMED' };
  const expected = Buffer.from(signWebhook(secret, t, rawBody).split('v1=')[1]!, 'hex');
  if (!timingSafeEqual(expected, Buffer.from(parts.v1!, 'hex'))) return { ok: false, reason: 'BAD_SIGNATURE' };
  if (Math.abs(nowSec - t) > toleranceSec) return { ok: false, reason: 'TOO_OLD' };
  return { ok: true, timestamp: t };
}
