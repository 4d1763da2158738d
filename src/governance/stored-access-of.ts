import { NO_STORED_ACCESS, type StoredAccess } from '../../rules/stored-access.js';
import { activeEntries, entryIn, type AccessDoc } from './access-entries.js';
import { ENVIRONMENTS, type Environment, type Instant } from './environment.js';

// The projection rules/decide.ts needs from a principal's access document, at one instant: expired and revoked
// entries are left out here, at evaluation time, so a grant ends at its expiry with no job running. Data reads
// count as PRODUCTION (patient data is production data): entries limited to STAGING give no PHI.

export function storedAccessOf(doc: AccessDoc | null, now: Instant): StoredAccess {
  if (!doc) return NO_STORED_ACCESS;
  const active = activeEntries(doc, now).filter((e) => entryIn(e, 'PRODUCTION'));
  const managed = [...new Set(doc.entries.filter((e) => e.source === 'assignment' && e.kind === 'role').map((e) => e.name))];
  const everStanding = managed.length > 0;
  // Roles per environment of governed changes: the same projection, cut to the entries scoped to that environment.
  const rolesIn = (environment: Environment) => {
    const here = activeEntries(doc, now).filter((e) => entryIn(e, environment));
    return {
      standing: everStanding
        ? here
            .filter((e) => e.source === 'assignment' && e.kind === 'role')
            .map((e) => ({ id: e.id, role: e.name, departments: e.departments }))
        : null,
      temporaryRoles: here
        .filter((e) => e.source === 'access-request' && e.kind === 'role')
        .map((e) => ({ id: e.id, role: e.name, departments: e.departments })),
    };
  };
  return {
    byEnvironment: Object.fromEntries(ENVIRONMENTS.map((e) => [e, rolesIn(e)])),
    managedRoles: managed,
    standing: everStanding
      ? active
          .filter((e) => e.source === 'assignment' && e.kind === 'role')
          .map((e) => ({ id: e.id, role: e.name, departments: e.departments }))
      : null,
    temporaryRoles: active
      .filter((e) => e.source === 'access-request' && e.kind === 'role')
      .map((e) => ({ id: e.id, role: e.name, departments: e.departments })),
    temporaryGrants: active.filter((e) => e.kind === 'grant').map((e) => ({ id: e.id, grant: e.name, departments: e.departments })),
    breakGlass: active.filter((e) => e.kind === 'break-glass' && e.patientId !== null).map((e) => ({ id: e.id, patientId: e.patientId! })),
  };
}
