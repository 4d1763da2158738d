// One definition of a tenant id, shared by the token verifier, the config parser and the CLI so that a tenant the
// CLI mints or the config names is always one the verifier accepts. Lower-case DNS-label style: safe in URLs, Redis
// keys, log lines and file names without escaping.
export const TENANT_ID_PATTERN = /^[a-z0-9][a-z0-9-]{0,62}$/;

export function isTenantId(value: unknown): value is string {
  return typeof value === 'string' && TENANT_ID_PATTERN.test(value);
}
