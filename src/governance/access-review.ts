import { activeEntries, type AccessDoc, type AccessEntry } from './access-entries.js';
import { toEpochMs, type Instant } from './environment.js';

// What an access review lists (pure): grants unused for `staleDays`, grants whose departments the person no longer
// has a standing assignment for, and break-glass uses nobody has reviewed yet (expired ones included).

type ReviewFlag = 'STALE' | 'PAST_DEPARTMENT' | 'BREAK_GLASS';

export interface ReviewItem {
  readonly sub: string;
  readonly entry: AccessEntry;
  readonly flags: readonly ReviewFlag[];
  /** Last time a decision used it (recorded at most once a minute), null when never. */
  readonly lastUsedAt: string | null;
}

const DAY = 24 * 60 * 60 * 1000;

export function reviewItems(
  docs: readonly AccessDoc[],
  lastUsed: (entryId: string) => string | null,
  now: Instant,
  staleDays: number,
): ReviewItem[] {
  const cutoff = toEpochMs(now) - staleDays * DAY;
  return docs.flatMap((doc) => {
    const active = activeEntries(doc, now);
    const standingDepartments = new Set(active.filter((e) => e.source === 'assignment').flatMap((e) => e.departments ?? []));
    const manages = active.some((e) => e.source === 'assignment' && e.departments !== null);
    return doc.entries.flatMap((entry): ReviewItem[] => {
      const used = lastUsed(entry.id);
      const flags: ReviewFlag[] = [];
      const live = active.includes(entry);
      if (entry.kind === 'break-glass') {
        if (entry.reviews.length === 0) flags.push('BREAK_GLASS');
      } else if (live) {
        if (Math.max(used ? toEpochMs(used) : 0, toEpochMs(entry.grantedAt)) < cutoff) flags.push('STALE');
        if (manages && entry.source !== 'assignment' && (entry.departments ?? []).some((d) => !standingDepartments.has(d)))
          flags.push('PAST_DEPARTMENT');
      }
      return flags.length ? [{ sub: doc.sub, entry, flags, lastUsedAt: used }] : [];
    });
  });
}
