import { createHmac, timingSafeEqual } from 'node:crypto';
import { GENESIS_HASH, type AuditMeta, type StoredAuditRecord } from '../stores/governance-store.js';
import { chainHash, sha256Hex } from './chain.js';

// Verification of a tenant's audit log: walks the records from the anchor, recomputing every body hash and chain
// link, and checks each signed checkpoint against the chain. Reports the first problem with the record it is at.

export interface Checkpoint {
  readonly tenant: string;
  readonly seq: number;
  readonly hash: string;
  readonly at: string;
  /** HMAC-SHA256 over `tenant|seq|hash|at` with the audit key. */
  readonly signature: string;
}

export type VerifyProblem =
  | 'MALFORMED'
  | 'BODY_ALTERED'
  | 'BROKEN_LINK'
  | 'REWRITTEN'
  | 'MISSING_OR_REORDERED'
  | 'HEAD_MISMATCH'
  | 'CHECKPOINT_SIGNATURE'
  | 'CHECKPOINT_MISMATCH'
  | 'ANCHOR_UNSIGNED';

export type VerifyResult =
  | { readonly ok: true; readonly records: number; readonly firstSeq: number; readonly headSeq: number; readonly checkpointsVerified: number }
  | { readonly ok: false; readonly seq: number; readonly problem: VerifyProblem; readonly message: string; readonly recordsChecked: number };

const checkpointPayload = (c: Omit<Checkpoint, 'signature'>) => `${c.tenant}|${c.seq}|${c.hash}|${c.at}`;

export function signCheckpoint(key: string, c: Omit<Checkpoint, 'signature'>): Checkpoint {
  return { ...c, signature: createHmac('sha256', key).update(checkpointPayload(c)).digest('hex') };
}

export function checkpointSignatureValid(key: string, c: Checkpoint): boolean {
  const expected = Buffer.from(signCheckpoint(key, c).signature, 'hex');
  const actual = Buffer.from(String(c.signature), 'hex');
  return expected.length === actual.length && timingSafeEqual(expected, actual);
}

function parse(raw: string): StoredAuditRecord | null {
  try {
    const r = JSON.parse(raw) as StoredAuditRecord;
    return Number.isInteger(r.seq) && typeof r.prev === 'string' && typeof r.hash === 'string' && typeof r.body === 'string' && typeof r.bodyHash === 'string' ? r : null;
  } catch {
    return null;
  }
}

/**
 * Verifies records (oldest first, as stored from meta.firstSeq) against the anchor, the head and the checkpoints.
 * A checkpoint older than the anchor (trimmed away) is still checked for its signature; one at the anchor anchors it.
 */
export function verifyChain(tenant: string, meta: AuditMeta, rawRecords: readonly string[], checkpoints: readonly Checkpoint[], key: string): VerifyResult {
  let prev = meta.anchorHash;
  let expectedSeq = meta.firstSeq;
  const hashes = new Map<number, string>();
  if (meta.firstSeq > 1) hashes.set(meta.firstSeq - 1, meta.anchorHash);
  for (let i = 0; i < rawRecords.length; i++) {
    const r = parse(rawRecords[i]!);
    const fail = (problem: VerifyProblem, message: string): VerifyResult => ({ ok: false, seq: r?.seq ?? expectedSeq, problem, message, recordsChecked: i });
    if (!r) return fail('MALFORMED', `record at position ${expectedSeq} is not a well-formed audit record`);
    if (r.seq !== expectedSeq) return fail('MISSING_OR_REORDERED', `expected record ${expectedSeq}, found record ${r.seq}: a record was deleted, inserted or moved`);
    if (sha256Hex(r.body) !== r.bodyHash) return fail('BODY_ALTERED', `record ${r.seq} was altered: its body does not match its hash`);
    if (r.prev !== prev && chainHash(r.prev, r.bodyHash) === r.hash && i > 0) {
      // This record is intact and still points at the original hash of the one before: that one was rewritten
      // (body and hashes recomputed by someone without the checkpoint key).
      return { ok: false, seq: r.seq - 1, problem: 'REWRITTEN', message: `record ${r.seq - 1} was rewritten: record ${r.seq} still chains to its original hash`, recordsChecked: i };
    }
    if (r.prev !== prev || chainHash(prev, r.bodyHash) !== r.hash) return fail('BROKEN_LINK', `record ${r.seq} does not chain to record ${r.seq - 1}`);
    hashes.set(r.seq, r.hash);
    prev = r.hash;
    expectedSeq++;
  }
  const last = expectedSeq - 1;
  if (last !== meta.headSeq || prev !== (meta.headSeq === 0 ? GENESIS_HASH : meta.headHash)) {
    return { ok: false, seq: Math.min(last + 1, meta.headSeq), problem: 'HEAD_MISMATCH', message: `the log ends at record ${last} but the head says ${meta.headSeq}: records are missing at the end`, recordsChecked: rawRecords.length };
  }
  let verified = 0;
  for (const c of checkpoints) {
    if (c.tenant !== tenant || !checkpointSignatureValid(key, c)) {
      return { ok: false, seq: c.seq, problem: 'CHECKPOINT_SIGNATURE', message: `checkpoint at record ${c.seq} has an invalid signature`, recordsChecked: rawRecords.length };
    }
    const h = hashes.get(c.seq);
    if (h !== undefined && h !== c.hash) {
      return { ok: false, seq: c.seq, problem: 'CHECKPOINT_MISMATCH', message: `record ${c.seq} differs from its signed checkpoint: the chain was rewritten`, recordsChecked: rawRecords.length };
    }
    verified++;
  }
  // After a trim the chain starts from the anchor: it is only as good as the signed checkpoint that pins it.
  if (meta.firstSeq > 1 && !checkpoints.some((c) => c.seq === meta.firstSeq - 1 && c.hash === meta.anchorHash)) {
    return { ok: false, seq: meta.firstSeq, problem: 'ANCHOR_UNSIGNED', message: `the log starts after a trim at record ${meta.firstSeq} but no signed checkpoint pins record ${meta.firstSeq - 1}`, recordsChecked: rawRecords.length };
  }
  return { ok: true, records: rawRecords.length, firstSeq: meta.firstSeq, headSeq: meta.headSeq, checkpointsVerified: verified };
}
