// One definition of a tenant id, shared by the token verifier, the config parser and the CLI so that a tenant the
// CLI mints or the config names is always one the verifier accepts. Lower-case DNS-label style: safe in URLs, Redis
// keys, log lines and file names without escaping.
const TENANT_ID_PATTERN = /^[a-z0-9][a-z0-9-]{0,62}$/;

/**
 * Names that would look up a property of every JavaScript object (`constructor` is the only one the pattern lets
 * through): never a tenant, whatever signed the token, so no object keyed by tenant can answer for it.
 */
const RESERVED = new Set(Object.getOwnPropertyNames(Object.prototype).map((n) => n.toLowerCase()));

export function isTenantId(value: unknown): value is string {
  return typeof value === 'string' && TENANT_ID_PATTERN.test(value) && !RESERVED.has(value);
}
