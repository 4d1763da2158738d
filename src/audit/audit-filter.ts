import { CATEGORIES } from '../governance/environment.js';
import type { AuditCategory, AuditEvent, AuditOutcome } from './audit-event.js';

// Which events a search or an export keeps. Shared by the GraphQL query and the CLI export so both mean the same
// thing by "from", "to" and "category".

const EVENT_CATEGORIES: readonly AuditCategory[] = ['phi-read', 'change', 'emergency', 'auth', 'access', 'policy'];

/** Event categories, and setting categories (a change event of an `audit` setting matches `audit`). */
export const FILTER_CATEGORIES: readonly string[] = [...new Set<string>([...EVENT_CATEGORIES, ...CATEGORIES])];

export interface AuditFilter {
  readonly actor?: string | null;
  readonly patientId?: string | null;
  readonly category?: string | null;
  readonly action?: string | null;
  /** Epoch ms, inclusive. */
  readonly from?: number | null;
  /** Epoch ms, exclusive: [from, to) windows tile without counting an event twice. */
  readonly to?: number | null;
  readonly outcome?: AuditOutcome | null;
}

export function inWindow(at: string, from: number | null | undefined, to: number | null | undefined): boolean {
  const t = Date.parse(at);
  return (from === null || from === undefined || t >= from) && (to === null || to === undefined || t < to);
}

export function matchesFilter(e: AuditEvent, f: AuditFilter): boolean {
  if (f.actor && e.actor?.sub !== f.actor) return false;
  // PHI reads and the changes that name a patient (write-back, break-glass, medication proposals, denials).
  if (f.patientId && (e.category === 'auth' || e.patientId !== f.patientId)) return false;
  if (f.category && e.category !== f.category && !(e.category !== 'phi-read' && e.category !== 'auth' && e.settingCategory === f.category))
    return false;
  if (f.action && e.action !== f.action) return false;
  if (f.outcome && e.outcome !== f.outcome) return false;
  return inWindow(e.at, f.from, f.to);
}
