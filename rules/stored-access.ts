import { deepFreeze } from './deep-freeze.js';

// What the store says about one principal's access, projected for a decision (rules/ never reads a store): built
// per request from the versioned `assignment:<sub>` document, with expired and revoked entries already left out
// at that request's time (src/governance/stored-access-of.ts).
//
// How token roles and stored assignments combine (issue 6: token roles intersected with the store's where it has them):
// - A role the store manages for this person (it has held a standing assignment of that role, active or not) counts
//   exactly where an active assignment of it says: in the assignment's environments, for its departments (null: the
//   token's). Whether the token also asserts it does not matter: the assignment was a governed, approved change, and
//   revoking it ends the role at once even for tokens that still say otherwise.
// - Any other role counts as the token says, in every environment, for the token's departments. So a STAGING-only
//   billing-manager assignment adds billing-manager in STAGING to a nurse and leaves her nurse role whole.
// - Time-limited grants from approved access requests and break-glass exist only in the store: they are added on
//   top, because they were approved through the governed path and end by themselves.

interface StoredRole {
  readonly id: string;
  readonly role: string;
  /** null: the departments of the token. */
  readonly departments: readonly string[] | null;
}

interface StoredGrant {
  readonly id: string;
  readonly grant: string;
  readonly departments: readonly string[] | null;
}

interface StoredBreakGlass {
  readonly id: string;
  readonly patientId: string;
}

export interface StoredAccess {
  /** Standing assignments in force; null when the store has never held one for this principal. */
  readonly standing: readonly StoredRole[] | null;
  /**
   * Roles the store manages for this principal: every role it ever held a standing assignment of, active or not
   * (revoked and expired included). Absent: the roles in `standing`.
   */
  readonly managedRoles?: readonly string[];
  readonly temporaryRoles: readonly StoredRole[];
  readonly temporaryGrants: readonly StoredGrant[];
  readonly breakGlass: readonly StoredBreakGlass[];
  /**
   * The same standing and temporary roles, per environment of governed changes (entries carry `environments`):
   * the roles above are PRODUCTION's (data reads); a STAGING-only assignment counts for STAGING changes only.
   */
  readonly byEnvironment?: Readonly<Record<string, Pick<StoredAccess, 'standing' | 'temporaryRoles'>>>;
}

/** Nothing stored: one frozen object, so that the kernel knows it without writing it out (decide.ts holdingsOf). */
export const NO_STORED_ACCESS: StoredAccess = deepFreeze({ standing: null, temporaryRoles: [], temporaryGrants: [], breakGlass: [] });

/** The roles the store decides for this principal (see "how they combine" above). */
export function managedRolesOf(stored: Pick<StoredAccess, 'standing' | 'managedRoles'>): ReadonlySet<string> {
  return new Set(stored.managedRoles ?? (stored.standing ?? []).map((r) => r.role));
}
