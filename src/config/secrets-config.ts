import { envField, fail, ok, type FieldResult } from './env-field.js';
import { text } from './env-parsers.js';

// The key encryption keys of connector secrets (src/services/connectors/key-encryption.ts): never the audit key.
// SECRETS_KEK is `<id>:<base64 of 32 bytes>`; SECRETS_KEK_FILE names a file of such lines (the first wraps, all
// unwrap); SECRETS_KEK_PREVIOUS lists retiring keys, comma-separated, still accepted for unwrapping while
// `clearance secrets rewrap` moves every secret to the current one. Production refuses to start without a KEK;
// embedded mode keeps one in the state dir. A problem names the variable, never the key.

const KEK = /^[A-Za-z0-9._-]{1,64}:[A-Za-z0-9+/]{43}=$/;

function kekList(raw: string): FieldResult<string[]> {
  const items = raw.split(',').map((s) => s.trim()).filter((s) => s !== '');
  return items.every((i) => KEK.test(i)) ? ok(items) : fail('must be <id>:<base64 of 32 bytes>, comma-separated');
}

function kek(raw: string): FieldResult<string> {
  return KEK.test(raw) ? ok(raw) : fail('must be <id>:<base64 of 32 bytes> (generate one with `clearance secrets new-kek <id>`)');
}

export const SECRETS_ENV = {
  SECRETS_KEK: envField(kek),
  SECRETS_KEK_FILE: envField(text),
  SECRETS_KEK_PREVIOUS: envField(kekList),
};

export interface SecretsConfig {
  readonly secrets: {
    readonly kek: string | null;
    readonly kekFile: string | null;
    readonly previousKeks: readonly string[];
  };
}

interface SecretsEnv {
  SECRETS_KEK?: string | undefined;
  SECRETS_KEK_FILE?: string | undefined;
  SECRETS_KEK_PREVIOUS?: string[] | undefined;
}

export function secretsChecks(production: boolean, raw: Record<string, string | undefined>): string[] {
  const set = (name: string) => (raw[name]?.trim() ?? '') !== '';
  const problems: string[] = [];
  if (set('SECRETS_KEK') && set('SECRETS_KEK_FILE')) problems.push('SECRETS_KEK and SECRETS_KEK_FILE: set only one');
  if (production && !set('SECRETS_KEK') && !set('SECRETS_KEK_FILE')) {
    problems.push('SECRETS_KEK or SECRETS_KEK_FILE: required in production (encrypts connector credentials)');
  }
  return problems;
}

export function secretsConfig(e: SecretsEnv): SecretsConfig {
  return { secrets: { kek: e.SECRETS_KEK ?? null, kekFile: e.SECRETS_KEK_FILE ?? null, previousKeks: e.SECRETS_KEK_PREVIOUS ?? [] } };
}
