import { randomBytes } from 'node:crypto';
import { chmod, link, mkdir, readFile, stat, unlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import {
  calculateJwkThumbprint,
  createLocalJWKSet,
  exportJWK,
  generateKeyPair,
  importJWK,
  type CryptoKey,
  type JSONWebKeySet,
  type JWK,
  type JWTVerifyGetKey,
} from 'jose';
import { z } from 'zod';

// Embedded (dev) mode signs and verifies with one ES256 key pair kept in the git-ignored state dir, so the dev
// server and `clearance token` agree without any IdP. Production never reads this file (config refuses dev keys).

// mintToken lives in its own file; re-exported here because it only makes sense with these keys.
export { mintToken, type TokenClaims } from './mint-token.js';

export const DEV_KEYS_FILE = 'dev-keys.json';
const DEV_ALG = 'ES256';

export interface DevKeys {
  readonly privateKey: CryptoKey;
  /** The public half only, as the JWKS the verifier pins. */
  readonly publicJwks: JSONWebKeySet;
  /** RFC 7638 thumbprint of the public key: stable for the key, and what tokens carry in their `kid` header. */
  readonly kid: string;
}

const StoredKey = z.object({
  kty: z.literal('EC'),
  crv: z.literal('P-256'),
  x: z.string().min(1),
  y: z.string().min(1),
  d: z.string().min(1),
});

async function fromPrivateJwk(stored: z.infer<typeof StoredKey>): Promise<DevKeys> {
  // The public JWK and kid are derived from the stored private key on every load (the file's own kid and alg are
  // informative only), so they cannot drift apart.
  const publicJwk: JWK = { kty: stored.kty, crv: stored.crv, x: stored.x, y: stored.y };
  const kid = await calculateJwkThumbprint(publicJwk);
  const privateKey = await importJWK({ ...stored, alg: DEV_ALG }, DEV_ALG);
  if (privateKey instanceof Uint8Array || privateKey.type !== 'private') {
    throw new Error('dev keys: the stored key is not an EC private key');
  }
  return Object.freeze({
    privateKey,
    kid,
    publicJwks: { keys: [{ ...publicJwk, kid, alg: DEV_ALG, use: 'sig' }] },
  });
}

async function readDevKeys(path: string): Promise<DevKeys> {
  // A copied or checked-out file may have lost its 0600; a private key should not stay world-readable.
  if (((await stat(path)).mode & 0o077) !== 0) await chmod(path, 0o600);
  let json: unknown;
  try {
    json = JSON.parse(await readFile(path, 'utf8'));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== undefined) throw error;
    json = undefined;
  }
  const parsed = StoredKey.safeParse(json);
  if (!parsed.success) {
    throw new Error(`dev keys: ${path} is not an ES256 private JWK; delete it to generate a new key pair`);
  }
  return fromPrivateJwk(parsed.data);
}

async function createDevKeysFile(path: string): Promise<void> {
  const { privateKey } = await generateKeyPair(DEV_ALG, { extractable: true });
  const jwk = await exportJWK(privateKey);
  const kid = await calculateJwkThumbprint({ kty: jwk.kty, crv: jwk.crv, x: jwk.x, y: jwk.y });
  const stored = { kty: jwk.kty, crv: jwk.crv, x: jwk.x, y: jwk.y, d: jwk.d, kid, alg: DEV_ALG, use: 'sig' };
  // Write to a private temp file, then link(2) it into place: link fails with EEXIST if another process (the server
  // and the CLI starting together) won the race, and readers never see a half-written file.
  const tmp = `${path}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`;
  await writeFile(tmp, `${JSON.stringify(stored, null, 2)}\n`, { mode: 0o600, flag: 'wx' });
  try {
    await link(tmp, path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  } finally {
    await unlink(tmp);
  }
}

/** Loads `<stateDir>/dev-keys.json`, creating the directory (0700) and an ES256 key pair (file 0600) on first use. */
export async function loadOrCreateDevKeys(stateDir: string): Promise<DevKeys> {
  const path = join(stateDir, DEV_KEYS_FILE);
  await mkdir(stateDir, { recursive: true, mode: 0o700 });
  try {
    return await readDevKeys(path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  await createDevKeysFile(path);
  return readDevKeys(path);
}

/** The verifier's key getter for dev mode: pins the dev public key (never the private half). */
export function createDevKeyGetter(keys: DevKeys): JWTVerifyGetKey {
  return createLocalJWKSet(keys.publicJwks);
}
