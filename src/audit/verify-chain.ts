import { createHmac, timingSafeEqual } from 'node:crypto';
import { GENESIS_HASH, chainHash, sha256Hex, type AuditMeta, type StoredAuditRecord } from './chain.js';

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

type VerifyProblem =
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
  | {
      readonly ok: true;
      readonly records: number;
      readonly firstSeq: number;
      readonly headSeq: number;
      readonly checkpointsVerified: number;
      /** Set when the verify resumed after this record (a signed mark of an earlier verify) instead of the anchor. */
      readonly resumedAfter?: number;
    }
  | {
      readonly ok: false;
      readonly seq: number;
      readonly problem: VerifyProblem;
      readonly message: string;
      readonly recordsChecked: number;
    };

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
    return Number.isInteger(r.seq) &&
      typeof r.prev === 'string' &&
      typeof r.hash === 'string' &&
      typeof r.body === 'string' &&
      typeof r.bodyHash === 'string'
      ? r
      : null;
  } catch {
    return null;
  }
}

/** Where a verification starts: the record before the first one it reads (the anchor, or a resumed checkpoint). */
export interface VerifyStart {
  readonly seq: number;
  readonly hash: string;
}

/**
 * Verification of a stream of records (oldest first), one at a time, in constant memory: it keeps the last hash and
 * the checkpoints (one per signing, far fewer than records), never the records. Feed every record to `push` (it
 * returns the first problem, then stop), then call `finish` with the head.
 */
export class ChainVerifier {
  private prev: string;
  private expectedSeq: number;
  private checked = 0;
  private mismatch: Extract<VerifyResult, { ok: false }> | null = null;
  /** The newest checkpoint the records passed so far agreed with: where a later verify may resume. */
  pinned: VerifyStart | null = null;
  private readonly bySeq = new Map<number, Checkpoint[]>();

  constructor(
    private readonly tenant: string,
    private readonly start: VerifyStart,
    private readonly checkpoints: readonly Checkpoint[],
    private readonly key: string,
  ) {
    this.prev = start.hash;
    this.expectedSeq = start.seq + 1;
    for (const c of checkpoints) {
      if (c.seq > start.seq) this.bySeq.set(c.seq, [...(this.bySeq.get(c.seq) ?? []), c]);
    }
  }

  /** The hash of the last record that passed (the start's when none did). */
  pinnedHash(): string {
    return this.prev;
  }

  get recordsChecked(): number {
    return this.checked;
  }

  /** Checks one record; returns the first problem found (the caller stops there), else null. */
  push(raw: string): Extract<VerifyResult, { ok: false }> | null {
    const r = parse(raw);
    const i = this.checked;
    const expectedSeq = this.expectedSeq;
    const fail = (problem: VerifyProblem, message: string) => ({
      ok: false as const,
      seq: r?.seq ?? expectedSeq,
      problem,
      message,
      recordsChecked: i,
    });
    if (!r) return fail('MALFORMED', `record at position ${expectedSeq} is not a well-formed audit record`);
    if (r.seq !== expectedSeq)
      return fail('MISSING_OR_REORDERED', `expected record ${expectedSeq}, found record ${r.seq}: a record was deleted, inserted or moved`);
    if (sha256Hex(r.body) !== r.bodyHash) return fail('BODY_ALTERED', `record ${r.seq} was altered: its body does not match its hash`);
    if (r.prev !== this.prev && chainHash(r.prev, r.bodyHash) === r.hash && i > 0) {
      // This record is intact and still points at the original hash of the one before: that one was rewritten
      // (body and hashes recomputed by someone without the checkpoint key).
      return {
        ok: false,
        seq: r.seq - 1,
        problem: 'REWRITTEN',
        message: `record ${r.seq - 1} was rewritten: record ${r.seq} still chains to its original hash`,
        recordsChecked: i,
      };
    }
    if (r.prev !== this.prev || chainHash(this.prev, r.bodyHash) !== r.hash)
      return fail('BROKEN_LINK', `record ${r.seq} does not chain to record ${r.seq - 1}`);
    // A checkpoint that disagrees is reported after the chain (a broken record ahead is the more precise finding).
    const signed = this.bySeq.get(r.seq);
    if (!this.mismatch && signed?.some((c) => c.hash !== r.hash)) {
      this.mismatch = {
        ok: false,
        seq: r.seq,
        problem: 'CHECKPOINT_MISMATCH',
        message: `record ${r.seq} differs from its signed checkpoint: the chain was rewritten`,
        recordsChecked: 0,
      };
    }
    if (signed && !this.mismatch) this.pinned = { seq: r.seq, hash: r.hash };
    this.prev = r.hash;
    this.expectedSeq++;
    this.checked++;
    return null;
  }

  /** After the last record: the head, every checkpoint's signature and the anchor's pin. */
  finish(meta: AuditMeta, firstSeq = meta.firstSeq): VerifyResult {
    const n = this.checked;
    const last = this.expectedSeq - 1;
    if (last !== meta.headSeq || this.prev !== (meta.headSeq === 0 ? GENESIS_HASH : meta.headHash)) {
      return {
        ok: false,
        seq: Math.min(last + 1, meta.headSeq),
        problem: 'HEAD_MISMATCH',
        message: `the log ends at record ${last} but the head says ${meta.headSeq}: records are missing at the end`,
        recordsChecked: n,
      };
    }
    let verified = 0;
    for (const c of this.checkpoints) {
      if (c.tenant !== this.tenant || !checkpointSignatureValid(this.key, c)) {
        return {
          ok: false,
          seq: c.seq,
          problem: 'CHECKPOINT_SIGNATURE',
          message: `checkpoint at record ${c.seq} has an invalid signature`,
          recordsChecked: n,
        };
      }
      if (c.seq === this.start.seq && this.start.seq > 0 && c.hash !== this.start.hash) {
        return {
          ok: false,
          seq: c.seq,
          problem: 'CHECKPOINT_MISMATCH',
          message: `record ${c.seq} differs from its signed checkpoint: the chain was rewritten`,
          recordsChecked: n,
        };
      }
      verified++;
    }
    if (this.mismatch) return { ...this.mismatch, recordsChecked: n };
    // After a trim the chain starts from the anchor: it is only as good as the signed checkpoint that pins it.
    if (meta.firstSeq > 1 && !this.checkpoints.some((c) => c.seq === meta.firstSeq - 1 && c.hash === meta.anchorHash)) {
      return {
        ok: false,
        seq: meta.firstSeq,
        problem: 'ANCHOR_UNSIGNED',
        message: `the log starts after a trim at record ${meta.firstSeq} but no signed checkpoint pins record ${meta.firstSeq - 1}`,
        recordsChecked: n,
      };
    }
    return { ok: true, records: n, firstSeq, headSeq: meta.headSeq, checkpointsVerified: verified };
  }
}

/** A signed statement "the log verified up to this checkpoint", so a later verify may resume there. */
export interface VerifiedMark {
  readonly tenant: string;
  readonly seq: number;
  readonly hash: string;
  readonly at: string;
  readonly signature: string;
}

const markPayload = (m: Omit<VerifiedMark, 'signature'>) => `verified|${m.tenant}|${m.seq}|${m.hash}|${m.at}`;

export function signVerifiedMark(key: string, m: Omit<VerifiedMark, 'signature'>): VerifiedMark {
  return { ...m, signature: createHmac('sha256', key).update(markPayload(m)).digest('hex') };
}

export function verifiedMarkValid(key: string, m: VerifiedMark): boolean {
  const expected = Buffer.from(signVerifiedMark(key, m).signature, 'hex');
  const actual = Buffer.from(String(m.signature), 'hex');
  return expected.length === actual.length && timingSafeEqual(expected, actual);
}
