// What the store says about one principal's access, projected for a decision (rules/ never reads a store): built
// per request from the versioned `assignment:<sub>` document, with expired and revoked entries already left out
// at that request's time (src/governance/stored-access-of.ts).
//
// Which wins, token or store:
// - Standing role assignments are intersected with the token's roles: a role counts only when the identity
//   provider asserts it AND the tenant's governed assignments hold it (revoking in Clearance takes effect at once,
//   even for tokens that still say otherwise; a token cannot bring a role nobody assigned). When the store holds
//   no assignment for the principal at all, the token's roles stand alone (tenants that manage roles only in their
//   IdP keep working). Stored departments of a standing role narrow the token's departments, never widen them.
// - Time-limited grants from approved access requests and break-glass exist only in the store: they are added on
//   top of the token, because they were approved through the governed path and end by themselves.

export interface StoredRole {
  readonly id: string;
  readonly role: string;
  /** null: the departments of the token. */
  readonly departments: readonly string[] | null;
}

export interface StoredGrant {
  readonly id: string;
  readonly grant: string;
  readonly departments: readonly string[] | null;
}

export interface StoredBreakGlass {
  readonly id: string;
  readonly patientId: string;
}

export interface StoredAccess {
  /** Standing assignments in force; null when the store has never held one for this principal. */
  readonly standing: readonly StoredRole[] | null;
  readonly temporaryRoles: readonly StoredRole[];
  readonly temporaryGrants: readonly StoredGrant[];
  readonly breakGlass: readonly StoredBreakGlass[];
  /**
   * The same standing and temporary roles, per environment of governed changes (entries carry `environments`):
   * the roles above are PRODUCTION's (data reads); a STAGING-only assignment counts for STAGING changes only.
   */
  readonly byEnvironment?: Readonly<Record<string, Pick<StoredAccess, 'standing' | 'temporaryRoles'>>>;
}

export const NO_STORED_ACCESS: StoredAccess = { standing: null, temporaryRoles: [], temporaryGrants: [], breakGlass: [] };
