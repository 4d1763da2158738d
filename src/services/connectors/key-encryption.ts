import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

// Key encryption keys (KEK) for connector secrets, as a KMS would hold them: a secret is sealed under its own data
// key, and only the data key is wrapped by a KEK named by its key id (envelope encryption). The interface is what a
// cloud KMS offers (wrap/unwrap by key id, with an authenticated context); LocalKms implements it with keys from
// SECRETS_KEK (or its file) and is the only implementation shipped. Several keys may be loaded: the first wraps,
// all unwrap, so a new KEK can be introduced, secrets re-wrapped (`clearance secrets rewrap`), the old one retired.

export interface WrappedKey {
  readonly keyId: string;
  /** base64 of what the KMS returned. */
  readonly wrapped: string;
}

export interface KeyEncryptionService {
  /** The key id new data keys are wrapped with. */
  readonly currentKeyId: string;
  wrap(dataKey: Buffer, context: string): Promise<WrappedKey>;
  /** Throws when the key id is unknown or the context does not match. */
  unwrap(key: WrappedKey, context: string): Promise<Buffer>;
}

export interface KekEntry {
  readonly id: string;
  /** 32 bytes. */
  readonly key: Buffer;
}

const KEK_ID = /^[A-Za-z0-9._-]{1,64}$/;

/** Parses `<id>:<base64 of 32 bytes>` (SECRETS_KEK, and each line of SECRETS_KEK_FILE); throws a message without the key. */
export function parseKek(text: string): KekEntry {
  const at = text.indexOf(':');
  const id = at === -1 ? '' : text.slice(0, at).trim();
  if (!KEK_ID.test(id)) throw new Error('a KEK is written <id>:<base64 of 32 bytes>, the id 1 to 64 of [A-Za-z0-9._-]');
  const key = Buffer.from(text.slice(at + 1).trim(), 'base64');
  if (key.length !== 32) throw new Error(`KEK ${id}: the key must be 32 bytes, base64-encoded`);
  return { id, key };
}

/** A new KEK in the text form above (the CLI prints one; never logged). */
export function newKekText(id: string): string {
  if (!KEK_ID.test(id)) throw new Error('KEK id: 1 to 64 of [A-Za-z0-9._-]');
  return `${id}:${randomBytes(32).toString('base64')}`;
}

export class LocalKms implements KeyEncryptionService {
  private readonly keys = new Map<string, Buffer>();
  readonly currentKeyId: string;

  /** The first entry wraps; every entry unwraps. */
  constructor(entries: readonly KekEntry[]) {
    if (entries.length === 0) throw new Error('LocalKms needs at least one KEK');
    for (const entry of entries) this.keys.set(entry.id, entry.key);
    this.currentKeyId = entries[0]!.id;
  }

  wrap(dataKey: Buffer, context: string): Promise<WrappedKey> {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.keys.get(this.currentKeyId)!, iv);
    cipher.setAAD(Buffer.from(`${this.currentKeyId}|${context}`));
    const ct = Buffer.concat([cipher.update(dataKey), cipher.final()]);
    return Promise.resolve({ keyId: this.currentKeyId, wrapped: Buffer.concat([iv, cipher.getAuthTag(), ct]).toString('base64') });
  }

  unwrap(key: WrappedKey, context: string): Promise<Buffer> {
    const kek = this.keys.get(key.keyId);
    if (!kek) return Promise.reject(new Error(`unknown KEK id ${key.keyId}`));
    const raw = Buffer.from(key.wrapped, 'base64');
    const decipher = createDecipheriv('aes-256-gcm', kek, raw.subarray(0, 12));
    decipher.setAAD(Buffer.from(`${key.keyId}|${context}`));
    decipher.setAuthTag(raw.subarray(12, 28));
    return Promise.resolve(Buffer.concat([decipher.update(raw.subarray(28)), decipher.final()]));
  }
}
