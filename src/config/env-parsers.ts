import { isSupportedAlgorithm, type SupportedAlgorithm } from './algorithms.js';
import { isTenantId } from './tenant-id.js';
import { fail, ok, type FieldResult } from './env-field.js';

// Value parsers for environment variables. Problem texts say what is expected and never repeat the value: a URL
// or JSON blob in the environment may carry credentials.

export function integer(min: number, max: number) {
  return (raw: string): FieldResult<number> => {
    const n = /^\d+$/.test(raw) ? Number(raw) : NaN;
    return Number.isSafeInteger(n) && n >= min && n <= max ? ok(n) : fail(`must be an integer from ${min} to ${max}`);
  };
}

export function url(protocols: readonly string[]) {
  return (raw: string): FieldResult<string> => {
    let parsed: URL;
    try {
      parsed = new URL(raw);
    } catch {
      return fail('must be an absolute URL');
    }
    if (!protocols.includes(parsed.protocol)) return fail(`must be a URL with scheme ${protocols.join(' or ')}`);
    return ok(raw);
  };
}

export function oneOf<const T extends string>(values: readonly T[]) {
  return (raw: string): FieldResult<T> =>
    (values as readonly string[]).includes(raw) ? ok(raw as T) : fail(`must be one of ${values.join(', ')}`);
}

export function text(raw: string): FieldResult<string> {
  return ok(raw);
}

export function algorithmList(raw: string): FieldResult<SupportedAlgorithm[]> {
  const names = raw.split(',').map((s) => s.trim()).filter((s) => s !== '');
  if (names.length === 0 || !names.every(isSupportedAlgorithm)) {
    return fail('must be a comma-separated list of ES256 and/or RS256 (symmetric and "none" algorithms are refused)');
  }
  return ok([...new Set(names)]);
}

/** `{"tenant-id": "https://fhir.example/r4", ...}`: which FHIR server serves each tenant. */
export function tenantUrlMap(raw: string): FieldResult<Record<string, string>> {
  let json: unknown;
  try {
    json = JSON.parse(raw);
  } catch {
    return fail('must be JSON: an object mapping tenant ids to FHIR base URLs');
  }
  if (json === null || typeof json !== 'object' || Array.isArray(json)) {
    return fail('must be a JSON object mapping tenant ids to FHIR base URLs');
  }
  const entries = Object.entries(json);
  if (entries.length === 0) return fail('must name at least one tenant');
  const problems: string[] = [];
  const out: Record<string, string> = Object.create(null) as Record<string, string>;
  for (const [index, [tenant, value]] of entries.entries()) {
    // Tenant ids are not secret and match a strict pattern when valid, so naming them helps the operator; an
    // invalid key is only described by position.
    if (!isTenantId(tenant)) {
      problems.push(`key #${index + 1} is not a valid tenant id (^[a-z0-9][a-z0-9-]{0,62}$)`);
      continue;
    }
    const checked = typeof value === 'string' ? url(['http:', 'https:'])(value) : fail('');
    if (!checked.ok) problems.push(`the URL for tenant "${tenant}" must be an http(s) URL`);
    else out[tenant] = checked.value;
  }
  return problems.length > 0 ? { ok: false, problems } : ok(out);
}
