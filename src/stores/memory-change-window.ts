import type { ChangeRequest, ChangeStatus } from '../governance/change-request.js';

// The embedded default's change requests are bounded like its audit log (issue 17: memory does not grow with the
// number of requests): of a tenant's finished change requests (applied, rejected, cancelled, expired, superseded,
// failed) the newest MEMORY_CHANGE_WINDOW are kept. A change still open (pending, approved) or with an outbox effect
// waiting is never dropped. A dropped change reads as unknown (NOT_FOUND); writing it again conflicts. Redis keeps
// every change. Measured before: a queued or applied setting change held 4-6 kB each, kept forever.

export const MEMORY_CHANGE_WINDOW = 1_000;

/**
 * A document's history in the embedded store (a setting's versions, the policy's, an assignment's) keeps its newest
 * MEMORY_DOC_HISTORY versions: a setting changed on every request (a template in STAGING) otherwise grew the heap
 * with every request. The current version is always kept; settingHistory, rollback and explain(at:) reach back as
 * far as the window; Redis keeps every version.
 */
export const MEMORY_DOC_HISTORY = 1_000;

/** Drops the oldest versions past the window, once per quarter window of growth (the array is appended in place). */
export function trimHistory<T>(versions: T[], window = MEMORY_DOC_HISTORY): void {
  if (versions.length > window + Math.ceil(window / 4)) versions.splice(0, versions.length - window);
}

const FINISHED: Readonly<Record<ChangeStatus, boolean>> = {
  PENDING: false,
  APPROVED: false,
  APPLIED: true,
  REJECTED: true,
  CANCELLED: true,
  EXPIRED: true,
  SUPERSEDED: true,
  FAILED: true,
};

/** Next size at which a map is swept again (sweeping costs a pass over it: done once per quarter window of growth). */
const nextSweep = new WeakMap<object, number>();

/**
 * Drops the oldest finished changes past the window. `changes` iterates oldest first (a Map keeps insertion order and
 * a change is inserted when proposed); `waiting` holds the change ids an outbox effect still needs.
 */
export function trimFinishedChanges(
  changes: Map<string, { readonly change: ChangeRequest }>,
  waiting: Iterable<{ readonly changeId: string }>,
  window = MEMORY_CHANGE_WINDOW,
): void {
  if (changes.size <= (nextSweep.get(changes) ?? window + Math.ceil(window / 4))) return;
  const keep = new Set<string>();
  for (const w of waiting) keep.add(w.changeId);
  let finished = 0;
  for (const { change } of changes.values()) if (FINISHED[change.status] && !keep.has(change.id)) finished++;
  for (const [id, { change }] of changes) {
    if (finished <= window) break;
    if (!FINISHED[change.status] || keep.has(id)) continue;
    changes.delete(id);
    finished--;
  }
  nextSweep.set(changes, changes.size + Math.ceil(window / 4));
}
