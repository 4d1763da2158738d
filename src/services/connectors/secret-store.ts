import { createCipheriv, createDecipheriv, createHmac, randomBytes } from 'node:crypto';
import { calculateJwkThumbprint, exportJWK, generateKeyPair, type JWK } from 'jose';
import type { ConnectorCredential } from '../../../connectors/ehr/client/smart-token-source.js';
import type { Environment } from '../../governance/environment.js';
import type { GovernanceStore } from '../../stores/governance-store.js';
import type { KeyEncryptionService, WrappedKey } from './key-encryption.js';

// Connector credentials, write-only: kept apart from settings (docs `secret:<connectorId>:<fingerprint>`, never
// listed with `setting:`, never in a change, its history or an audit record). Storing a credential only stages it:
// which one a connector uses is the governed setting `integration.<id>.credentials` (method, client id and the
// fingerprint, never the value), so setting or rotating a production credential waits for its approvals like any
// change, the old credential keeps working (and its key stays published) until the change applies, and the switch
// happens at the moment the change is committed. Envelope encryption: each stored secret is sealed
// (AES-256-GCM, bound to tenant, environment and connector) under its own random data key, and only the data key is
// wrapped by the key encryption key of a KeyEncryptionService (key-encryption.ts), named by key id: a store dump
// alone reveals nothing, the KEK is not the audit key, and re-wrapping to a new KEK touches no secret.
// Two kinds (SMART Backend Services, https://hl7.org/fhir/smart-app-launch/backend-services.html):
// - private_key_jwt: a key pair Clearance generates (ES384 or RS384); the private JWK is sealed, the public JWKS is
//   stored in clear and published for the EHR to register;
// - client_secret_basic: a client secret an engineer sets, for servers that need it.
// Reads return only metadata; the credential leaves only through `reveal`, which only the connector's own client uses.
// Each credential is bound to the origin of the connector's base URL when it was set (`boundOrigin`, sealed with the
// value so that no later write of settings can move it; also in the governed reference, so approvers see where it
// goes): the connector's client sends it only there (connectors/ehr/client/smart-token-source.ts).

type CredentialMethod = ConnectorCredential['method'];

/**
 * The one place that decides which connectors send their credentials to a server (SMART Backend Services, to their
 * base URL's origin): only the EHR connector. Any other connector's credential (the `webhooks` connector's signing
 * secret, which signs and is never sent) is bound to nothing, whatever base URL the connector has, and no token source
 * or testConnector step is ever given it (ehr-endpoints.ts): it cannot be sent anywhere.
 */
export function sendsCredentials(connectorId: string): boolean {
  return connectorId === 'ehr';
}
export type KeyAlgorithm = 'ES384' | 'RS384';

/** What the governed setting `integration.<id>.credentials` holds: enough to pick a stored credential, nothing secret. */
export interface CredentialRef {
  readonly method: CredentialMethod;
  readonly clientId: string;
  /** `jwk:<RFC 7638 thumbprint>` of a key pair, `hmac:<hex>` of a secret (HMAC under the secret's own data key). */
  readonly fingerprint: string;
  /** The only origin the credential is ever sent to; null: none (a signing secret, or one set before binding). */
  readonly boundOrigin: string | null;
}

/** What an API answer may say about a connector's credentials (from the governed reference, never the secret). */
export interface SecretMeta {
  readonly configured: boolean;
  readonly clientId: string | null;
  readonly method: CredentialMethod | null;
  /** private_key_jwt: the key id (RFC 7638 thumbprint) of the signing key. */
  readonly keyId: string | null;
  readonly version: number;
  readonly updatedAt: string | null;
  readonly updatedBy: string | null;
  /** The governed change that an answer proposed (rotation). */
  readonly change?: { readonly key: string; readonly status: string; readonly changeRequestId: string };
}

export interface Jwks {
  readonly keys: readonly JWK[];
}

interface StoredSecret {
  readonly clientId: string;
  readonly method: CredentialMethod;
  readonly kid: string | null;
  readonly alg: KeyAlgorithm | null;
  /** private_key_jwt: public keys to publish (the current one, and during a pending rotation the next one too). */
  readonly publicJwks: Jwks | null;
  readonly dataKey: WrappedKey;
  /** base64 of iv (12) | tag (16) | ciphertext of the JSON payload. */
  readonly sealed: string;
}

/** `boundOrigin` is sealed with the value: absent in credentials stored before binding (they are sent nowhere). */
type Payload = ({ readonly secret: string } | { readonly privateJwk: JWK }) & { readonly boundOrigin?: string | null };

export interface NewCredential {
  readonly clientId: string;
  readonly by: string;
  /** The origin of the connector's base URL as it is set now; absent or null: bound to no destination. */
  readonly boundOrigin?: string | null;
}

export class ConnectorSecretStore {
  constructor(
    private readonly store: GovernanceStore,
    private readonly kms: KeyEncryptionService,
    private readonly now: () => number,
  ) {}

  private ref(environment: Environment, connectorId: string, fingerprint: string) {
    return { environment, id: `secret:${connectorId}:${fingerprint}` };
  }

  private async stored(
    tenant: string,
    environment: Environment,
    connectorId: string,
    fingerprint: string,
  ): Promise<StoredSecret | undefined> {
    const doc = await this.store.getDoc(tenant, this.ref(environment, connectorId, fingerprint));
    return doc?.value as unknown as StoredSecret | undefined;
  }

  /** Stages a client secret; answers its reference (null on contention). */
  async stageSecret(
    tenant: string,
    environment: Environment,
    connectorId: string,
    input: NewCredential & { secret: string },
  ): Promise<CredentialRef | null> {
    const dataKey = randomBytes(32);
    const fingerprint = `hmac:${createHmac('sha256', dataKey).update(input.secret).digest('hex').slice(0, 32)}`;
    const shape = { method: 'client_secret_basic' as const, kid: null, alg: null, publicJwks: null };
    const boundOrigin = boundOriginOf(connectorId, input);
    const payload = { secret: input.secret, boundOrigin };
    const ok = await this.write(tenant, environment, connectorId, fingerprint, dataKey, input, shape, payload);
    return ok ? { method: 'client_secret_basic', clientId: input.clientId, fingerprint, boundOrigin } : null;
  }

  /** Generates and stages a signing key pair for private_key_jwt; answers its reference and public JWKS. */
  async stageKey(
    tenant: string,
    environment: Environment,
    connectorId: string,
    input: NewCredential & { alg: KeyAlgorithm },
  ): Promise<{ ref: CredentialRef; jwks: Jwks } | null> {
    const boundOrigin = boundOriginOf(connectorId, input);
    const { publicKey, privateKey } = await generateKeyPair(input.alg, { extractable: true });
    const publicJwk = await exportJWK(publicKey);
    const kid = await calculateJwkThumbprint(publicJwk);
    const jwks = { keys: [{ ...publicJwk, kid, alg: input.alg, use: 'sig' }] };
    const privateJwk = { ...(await exportJWK(privateKey)), kid, alg: input.alg };
    const fingerprint = `jwk:${kid}`;
    const ok = await this.write(
      tenant,
      environment,
      connectorId,
      fingerprint,
      randomBytes(32),
      input,
      { method: 'private_key_jwt', kid, alg: input.alg, publicJwks: jwks },
      { privateJwk, boundOrigin },
    );
    return ok ? { ref: { method: 'private_key_jwt', clientId: input.clientId, fingerprint, boundOrigin }, jwks } : null;
  }

  /**
   * The public keys to publish for the EHR's registration of Clearance: the active credential's and those staged
   * after it (a rotation waiting for approval), so the EHR can trust the next key before Clearance switches to it.
   */
  async publicJwks(tenant: string, environment: Environment, connectorId: string, active: CredentialRef | null): Promise<Jwks> {
    const docs = (await this.store.listDocs(tenant, environment, 'secret:')).filter((d) => d.ref.id.startsWith(`secret:${connectorId}:`));
    const activeAt = docs.find((d) => d.ref.id === `secret:${connectorId}:${active?.fingerprint ?? ''}`)?.at ?? '';
    const keys = docs
      .filter((d) => d.at >= activeAt)
      .sort((a, b) => b.at.localeCompare(a.at))
      .flatMap((d) => (d.value as unknown as StoredSecret).publicJwks?.keys ?? []);
    return { keys };
  }

  /** The credential in clear, for the connector's own upstream call only; never for an API answer. */
  async reveal(tenant: string, environment: Environment, connectorId: string, ref: CredentialRef): Promise<ConnectorCredential | null> {
    const value = await this.stored(tenant, environment, connectorId, ref.fingerprint);
    if (!value) return null;
    const payload = await this.open(tenant, environment, connectorId, value);
    // The sealed binding counts, and only if the governed reference says the same: a reference naming this
    // fingerprint with another origin (a setting written by hand) leaves the credential bound to nothing.
    // A connector that sends no credentials has them bound to nothing, even one stored bound before that rule.
    const sealed = sendsCredentials(connectorId) ? (payload.boundOrigin ?? null) : null;
    const boundOrigin = sealed !== null && sealed === ref.boundOrigin ? sealed : null;
    if (value.method === 'private_key_jwt' && 'privateJwk' in payload && value.kid && value.alg) {
      const { kid, alg } = value;
      return { method: 'private_key_jwt', clientId: ref.clientId, privateJwk: payload.privateJwk, kid, alg, boundOrigin };
    }
    if (value.method === 'client_secret_basic' && 'secret' in payload)
      return { method: 'client_secret_basic', clientId: ref.clientId, secret: payload.secret, boundOrigin };
    throw new Error('stored connector credential is malformed');
  }

  /**
   * Wraps the data key of every stored secret of the tenant with the KMS's current KEK (the secrets themselves are
   * not re-encrypted). Readers keep working throughout: each document names the KEK its key is wrapped with.
   * Answers how many documents were re-wrapped; a document written meanwhile is left (it is already current).
   */
  async rewrapAll(tenant: string, environments: readonly Environment[]): Promise<number> {
    let count = 0;
    for (const environment of environments) {
      for (const doc of await this.store.listDocs(tenant, environment, 'secret:')) {
        const value = doc.value as unknown as StoredSecret;
        if (value.dataKey.keyId === this.kms.currentKeyId) continue;
        const connectorId = doc.ref.id.split(':')[1]!;
        const context = contextOf(tenant, environment, connectorId);
        const dataKey = await this.kms.unwrap(value.dataKey, context);
        const next = { ...value, dataKey: await this.kms.wrap(dataKey, context) };
        const put = { ...doc, version: doc.version + 1, value: next as unknown as typeof doc.value };
        if ((await this.store.commit(tenant, [{ type: 'put-doc', doc: put }])).ok) count++;
      }
    }
    return count;
  }

  private async write(
    tenant: string,
    environment: Environment,
    connectorId: string,
    fingerprint: string,
    dataKey: Buffer,
    input: NewCredential,
    shape: Pick<StoredSecret, 'method' | 'kid' | 'alg' | 'publicJwks'>,
    payload: Payload,
  ): Promise<boolean> {
    const existing = await this.store.getDoc(tenant, this.ref(environment, connectorId, fingerprint));
    // The same secret staged again: keep the stored one (same fingerprint, same value).
    if (existing) return true;
    const context = contextOf(tenant, environment, connectorId);
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', dataKey, iv);
    cipher.setAAD(Buffer.from(context));
    const ct = Buffer.concat([cipher.update(JSON.stringify(payload), 'utf8'), cipher.final()]);
    const value: StoredSecret = {
      clientId: input.clientId,
      ...shape,
      dataKey: await this.kms.wrap(dataKey, context),
      sealed: Buffer.concat([iv, cipher.getAuthTag(), ct]).toString('base64'),
    };
    const doc = {
      ref: this.ref(environment, connectorId, fingerprint),
      version: 1,
      value: value as unknown as Record<string, never>,
      changedBy: input.by,
      changeId: null,
      at: new Date(this.now()).toISOString(),
      reason: null,
    };
    return (await this.store.commit(tenant, [{ type: 'put-doc', doc }])).ok;
  }

  private async open(tenant: string, environment: Environment, connectorId: string, value: StoredSecret): Promise<Payload> {
    const context = contextOf(tenant, environment, connectorId);
    const dataKey = await this.kms.unwrap(value.dataKey, context);
    const raw = Buffer.from(value.sealed, 'base64');
    const decipher = createDecipheriv('aes-256-gcm', dataKey, raw.subarray(0, 12));
    decipher.setAAD(Buffer.from(context));
    decipher.setAuthTag(raw.subarray(12, 28));
    return JSON.parse(Buffer.concat([decipher.update(raw.subarray(28)), decipher.final()]).toString('utf8')) as Payload;
  }
}

/** The origin a credential staged now is bound to: none for a connector that sends no credentials. */
function boundOriginOf(connectorId: string, input: NewCredential): string | null {
  return sendsCredentials(connectorId) ? (input.boundOrigin ?? null) : null;
}

function contextOf(tenant: string, environment: Environment, connectorId: string): string {
  return `connector-secret|${tenant}|${environment}|${connectorId}`;
}
