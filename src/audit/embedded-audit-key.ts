import { randomBytes } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

// Embedded mode only: the audit checkpoint key lives beside the dev keys in the git-ignored state dir. Production
// takes AUDIT_HMAC_KEY from its secret store (config refuses to start without it).
export async function loadOrCreateAuditKey(stateDir: string): Promise<string> {
  const file = join(stateDir, 'audit-hmac.key');
  try {
    return (await readFile(file, 'utf8')).trim();
  } catch {
    await mkdir(stateDir, { recursive: true, mode: 0o700 });
    const key = randomBytes(32).toString('hex');
    await writeFile(file, key, { mode: 0o600, flag: 'wx' }).catch(() => undefined);
    return (await readFile(file, 'utf8')).trim();
  }
}

/** The embedded key if the state dir has one (the CLI must verify with the gateway's key, never a fresh one). */
export async function readAuditKey(stateDir: string): Promise<string | null> {
  try {
    return (await readFile(join(stateDir, 'audit-hmac.key'), 'utf8')).trim() || null;
  } catch {
    return null;
  }
}
