import type { AuditActor, PhiReadBlock, PhiReadEvent } from './audit-event.js';
import { readPair } from './read-slots.js';

// Collects, during one GraphQL request, which patient's data classes and fields were actually returned (the
// permission layer records each allowed row field). At the end of the request it becomes one PHI-read event per
// patient: not one per field, and none at all for a request that read no PHI.
//
// Recording sits on the hot path (every field of every row), so a patient's reads are a bit mask over this request's
// read slots (src/audit/read-slots.ts): the first 31 distinct pairs of the request in one number, more in further
// words. graphql-js resolves one row's fields one after another, so the current patient's mask is kept aside and
// written back when another patient comes in.

export interface PhiReadContext {
  readonly tenant: string;
  readonly actor: AuditActor;
  readonly operation: string | null;
  readonly requestId: string;
  readonly at: string;
  /** Patients opened through break-glass in this request (flagged on their events). */
  readonly breakGlassPatients?: ReadonlySet<string>;
}

const BITS = 31;

interface Decoded {
  readonly dataClasses: readonly string[];
  readonly fields: readonly string[];
  /** Both, as one string: groups with equal reads share it. */
  readonly key: string;
}
/** Masks decoded, by the request's bit order and the mask (read slots are global numbers: read-slots.ts). */
const DECODED = new Map<string, Decoded>();
const MAX_DECODED = 10_000;

interface Reads {
  readonly patientId: string;
  readonly dataClasses: string[];
  readonly fields: string[];
}

export class PhiReadCollector {
  /** Word 0 of each patient's mask. */
  private readonly masks = new Map<string, number>();
  /** Words 1.. of a patient's mask, for requests that read more than 31 distinct pairs (rare). */
  private readonly more = new Map<string, number[]>();
  /** Global read slot -> this request's bit. */
  private readonly bitOf: number[] = [];
  /** This request's bit -> global read slot. */
  private readonly slotOf: number[] = [];
  private current: string | null = null;
  private currentMask = 0;

  /** Word-0 masks of the slot arrays recordAll was given (-1: a slot past word 0, recorded one by one). */
  private readonly maskOfSlots = new WeakMap<readonly number[], number>();
  private lastSlots: readonly number[] | null = null;
  private lastMask = 0;

  private bitFor(slot: number): number {
    let bit = this.bitOf[slot];
    if (bit === undefined) {
      bit = this.slotOf.length;
      this.slotOf.push(slot);
      this.bitOf[slot] = bit;
    }
    return bit;
  }

  /** Records that `slot` (readSlot(dataClass, 'Type.field')) of this patient's record was returned. */
  record(patientId: string, slot: number): void {
    const bit = this.bitFor(slot);
    if (bit >= BITS) {
      this.recordBeyond(patientId, bit);
      return;
    }
    if (patientId !== this.current) {
      this.flush();
      this.current = patientId;
      this.currentMask = this.masks.get(patientId) ?? 0;
    }
    this.currentMask |= 1 << bit;
  }

  /**
   * Records every slot of `slots` (an admitted row's reads, rules/row-admission.ts): the array is the same for every
   * row of a selection, so its bits are found once and a row costs one OR.
   */
  recordAll(patientId: string, slots: readonly number[]): void {
    // The rows of a list come one after another with the same array: the last one's mask first.
    let mask = slots === this.lastSlots ? this.lastMask : this.maskOfSlots.get(slots);
    if (mask === undefined) {
      mask = 0;
      for (const slot of slots) {
        const bit = this.bitFor(slot);
        if (bit >= BITS) {
          mask = -1;
          break;
        }
        mask |= 1 << bit;
      }
      this.maskOfSlots.set(slots, mask);
    }
    this.lastSlots = slots;
    this.lastMask = mask;
    if (mask === -1) {
      for (const slot of slots) this.record(patientId, slot);
      return;
    }
    if (mask === 0) return;
    if (patientId !== this.current) {
      this.flush();
      this.current = patientId;
      this.currentMask = this.masks.get(patientId) ?? 0;
    }
    this.currentMask |= mask;
  }

  get size(): number {
    this.flush();
    return this.masks.size;
  }

  /** The request's reads as one compact block: patients with the same classes and fields read share a group. */
  block(ctx: PhiReadContext): PhiReadBlock {
    // Decoded once per distinct mask; grouped by what was read (two masks can name the same classes and fields).
    const decoded = new Map<string | number, { dataClasses: readonly string[]; fields: readonly string[]; patients: string[] }>();
    const groups = new Map<string, { dataClasses: readonly string[]; fields: readonly string[]; patients: string[] }>();
    this.flush();
    // The same operation assigns its bits in the same order every time: a mask with this order is decoded once for
    // every request that reads alike (DECODED).
    const order = this.slotOf.join(',');
    for (const [patientId, mask] of this.masks) {
      const words = this.more.get(patientId);
      const maskKey = words ? `${mask},${words.join(',')}` : mask;
      let g = decoded.get(maskKey);
      if (!g) {
        const reads = this.decodeShared(order, maskKey, mask, words);
        g = groups.get(reads.key) ?? { dataClasses: reads.dataClasses, fields: reads.fields, patients: [] };
        groups.set(reads.key, g);
        decoded.set(maskKey, g);
      }
      g.patients.push(patientId);
    }
    const opened = ctx.breakGlassPatients;
    const breakGlass = opened?.size ? [...this.masks.keys()].filter((p) => opened.has(p)) : [];
    return { at: ctx.at, actor: ctx.actor, operation: ctx.operation, requestId: ctx.requestId, groups: [...groups.values()], breakGlass };
  }

  events(ctx: PhiReadContext): PhiReadEvent[] {
    return this.reads().map(({ patientId, dataClasses, fields }) => ({
      category: 'phi-read',
      at: ctx.at,
      tenant: ctx.tenant,
      action: 'phi.read',
      outcome: 'success',
      actor: ctx.actor,
      requestId: ctx.requestId,
      patientId,
      dataClasses,
      fields,
      operation: ctx.operation,
      breakGlass: ctx.breakGlassPatients?.has(patientId) ?? false,
    }));
  }

  private reads(): Reads[] {
    this.flush();
    return [...this.masks].map(([patientId, mask]) => ({ patientId, ...this.decode(mask, this.more.get(patientId)) }));
  }

  private recordBeyond(patientId: string, bit: number): void {
    this.flush();
    if (!this.masks.has(patientId)) this.masks.set(patientId, 0);
    const words = this.more.get(patientId) ?? [];
    const w = Math.floor(bit / BITS) - 1;
    while (words.length <= w) words.push(0);
    words[w]! |= 1 << bit % BITS;
    this.more.set(patientId, words);
  }

  private flush(): void {
    if (this.current !== null) this.masks.set(this.current, this.currentMask);
    this.current = null;
  }

  private decodeShared(order: string, maskKey: string | number, mask: number, words: readonly number[] | undefined): Decoded {
    const key = `${order}|${maskKey}`;
    let d = DECODED.get(key);
    if (!d) {
      const { dataClasses, fields } = this.decode(mask, words);
      const groupKey = `${dataClasses.join(',')}|${fields.join(',')}`;
      d = Object.freeze({ dataClasses: Object.freeze(dataClasses), fields: Object.freeze(fields), key: groupKey });
      // Bounded: operations are few, but a client sending ever new ones must not grow it.
      if (DECODED.size >= MAX_DECODED) DECODED.clear();
      DECODED.set(key, d);
    }
    return d;
  }

  /** Sorted, distinct data classes and fields of a mask. */
  private decode(mask: number, words: readonly number[] = []): { dataClasses: string[]; fields: string[] } {
    const dataClasses = new Set<string>();
    const fields = new Set<string>();
    [mask, ...words].forEach((word, w) => {
      for (let b = 0; b < BITS; b++) {
        if ((word & (1 << b)) === 0) continue;
        const pair = readPair(this.slotOf[w * BITS + b]!);
        dataClasses.add(pair.dataClass);
        fields.add(pair.field);
      }
    });
    return { dataClasses: [...dataClasses].sort(), fields: [...fields].sort() };
  }
}
