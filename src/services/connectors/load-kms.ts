import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { SecretsConfig } from '../../config/secrets-config.js';
import { LocalKms, newKekText, parseKek } from './key-encryption.js';

// The KMS of connector secrets from configuration: SECRETS_KEK (+ SECRETS_KEK_PREVIOUS) or the lines of
// SECRETS_KEK_FILE, the first key wrapping, all unwrapping. Embedded mode without either keeps a generated KEK in
// the git-ignored state dir, beside (and apart from) the audit key. Production never gets here without one
// (config refuses to start).

const EMBEDDED_FILE = 'secrets-kek';

export async function loadKms(secrets: SecretsConfig['secrets'], stateDir: string): Promise<LocalKms> {
  if (secrets.kekFile) {
    const lines = (await readFile(secrets.kekFile, 'utf8')).split('\n').map((l) => l.trim()).filter((l) => l !== '' && !l.startsWith('#'));
    return new LocalKms([...lines, ...secrets.previousKeks].map(parseKek));
  }
  if (secrets.kek) return new LocalKms([secrets.kek, ...secrets.previousKeks].map(parseKek));
  const file = join(stateDir, EMBEDDED_FILE);
  try {
    return new LocalKms([(await readFile(file, 'utf8')).trim(), ...secrets.previousKeks].map(parseKek));
  } catch {
    await mkdir(stateDir, { recursive: true, mode: 0o700 });
    await writeFile(file, newKekText('embedded-1'), { mode: 0o600, flag: 'wx' }).catch(() => undefined);
    return new LocalKms([(await readFile(file, 'utf8')).trim(), ...secrets.previousKeks].map(parseKek));
  }
}
