import { envField, fail, ok, type FieldResult } from './env-field.js';
import { oneOf, text } from './env-parsers.js';

// What a browser frontend on its own origin needs from the gateway (issue 14): which origins may read answers
// (CORS), whether only trusted documents run, and whether the GraphiQL IDE is served. Kept apart from config.ts
// like hardening-config.ts; config.ts merges FRONTEND_ENV into its schema and these checks into its problem list.

export type TrustedDocumentsMode = 'off' | 'accept' | 'enforce';

export interface FrontendConfig {
  /** '*': any origin may read answers (embedded mode only); otherwise these exact origins (empty: none). */
  readonly corsOrigins: '*' | readonly string[];
  readonly trustedDocuments: {
    /** off: documents only; accept: hashes from the manifest or any document; enforce: manifest documents only. */
    readonly mode: TrustedDocumentsMode;
    /** The manifest (hash -> document), graphql-codegen's persisted-documents.json; null: none. */
    readonly file: string | null;
  };
  /** GraphiQL at GET /graphql for browsers; in production only for INTROSPECTION_ROLES, and only when set to on. */
  readonly graphiql: boolean;
}

/**
 * `*` or a comma-separated list of exact origins (`https://app.example.org`, `http://localhost:5173`): a scheme,
 * a host and an optional port, nothing else (no path, no trailing slash, no wildcard inside a host).
 */
function originList(raw: string): FieldResult<'*' | string[]> {
  if (raw === '*') return ok('*');
  if (raw === 'none') return ok([]);
  const entries = raw.split(',').map((s) => s.trim()).filter((s) => s !== '');
  const bad: string[] = [];
  for (const entry of entries) {
    let origin: string | null = null;
    try {
      const u = new URL(entry);
      origin = (u.protocol === 'https:' || u.protocol === 'http:') && u.origin === entry && !entry.includes('*') ? u.origin : null;
    } catch {
      origin = null;
    }
    if (origin === null) bad.push(entry === '*' ? 'a * mixed with origins' : 'an entry that is not an exact origin');
  }
  if (bad.length > 0)
    return fail(`must be *, none, or comma-separated exact origins like https://app.example.org (found ${[...new Set(bad)].join(', ')})`);
  return ok([...new Set(entries)]);
}

const onOff = oneOf(['on', 'off'] as const);

const isLoopbackOrigin = (origin: string) => ['localhost', '127.0.0.1', '[::1]'].includes(new URL(origin).hostname);

export const FRONTEND_ENV = {
  CORS_ORIGINS: envField(originList),
  TRUSTED_DOCUMENTS: envField(oneOf(['off', 'accept', 'enforce'] as const)),
  TRUSTED_DOCUMENTS_FILE: envField(text),
  GRAPHIQL: envField(onOff),
};

type FrontendEnv = { [K in keyof typeof FRONTEND_ENV]?: ReturnType<(typeof FRONTEND_ENV)[K]['parse']> };

export function frontendConfig(e: FrontendEnv, production: boolean): FrontendConfig {
  const file = e.TRUSTED_DOCUMENTS_FILE ?? null;
  return {
    // No origin but the gateway's own unless named: a browser app elsewhere is a decision, not a default.
    corsOrigins: e.CORS_ORIGINS ?? [],
    // A manifest given without a mode is enforced: naming an allowlist and not applying it would be a trap.
    trustedDocuments: { mode: e.TRUSTED_DOCUMENTS ?? (file ? 'enforce' : 'off'), file },
    graphiql: (e.GRAPHIQL ?? (production ? 'off' : 'on')) === 'on',
  };
}

export function frontendChecks(
  production: boolean,
  raw: Record<string, string | undefined>,
  e: FrontendEnv & { INTROSPECTION_ROLES?: '*' | readonly string[] | undefined },
): string[] {
  const problems: string[] = [];
  const mode = e.TRUSTED_DOCUMENTS;
  if (mode !== undefined && mode !== 'off' && !e.TRUSTED_DOCUMENTS_FILE)
    problems.push(`TRUSTED_DOCUMENTS: ${mode} needs TRUSTED_DOCUMENTS_FILE`);
  if (!production) return problems;
  // Any origin reading PHI answers: a page anywhere on the web could use a signed-in person's token it got hold of.
  if ((raw.CORS_ORIGINS ?? '').split(',').some((s) => s.trim() === '*')) {
    problems.push('CORS_ORIGINS: * is not allowed in production (list the exact origins of your frontends)');
  }
  // Credentials go to a listed origin (Access-Control-Allow-Credentials): over plain http anyone on the path could be it.
  const plain = Array.isArray(e.CORS_ORIGINS) ? e.CORS_ORIGINS.filter((o) => o.startsWith('http:') && !isLoopbackOrigin(o)) : [];
  if (plain.length > 0) problems.push(`CORS_ORIGINS: origins must use https in production (found ${plain.join(', ')})`);
  // The IDE is for the people who may read the schema: without a named role (unset, none, or commas naming none:
  // the parsed list, as the introspection guard reads it) nobody could use it.
  const roles = e.INTROSPECTION_ROLES;
  if (e.GRAPHIQL === 'on' && (roles === undefined || roles.length === 0)) {
    problems.push('GRAPHIQL: on in production needs INTROSPECTION_ROLES');
  }
  return problems;
}
