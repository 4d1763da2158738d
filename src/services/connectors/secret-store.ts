import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto';
import type { Environment } from '../../governance/environment.js';
import type { GovernanceStore } from '../../stores/governance-store.js';

// Connector credentials, write-only: kept apart from settings (doc `secret:<connectorId>`, never listed with
// `setting:`, never in a change, its history or an audit record), encrypted with AES-256-GCM under a key derived
// (HKDF) from the deployment's audit key, so a store dump alone does not reveal them. Reads return only whether a
// secret is set, the client id, and who set it when; the secret itself leaves only through `reveal`, which only a
// connector calling its upstream uses.

export interface SecretMeta {
  readonly configured: boolean;
  readonly clientId: string | null;
  readonly version: number;
  readonly updatedAt: string | null;
  readonly updatedBy: string | null;
}

interface StoredSecret {
  readonly clientId: string;
  /** base64 of iv (12) | tag (16) | ciphertext. */
  readonly sealed: string;
}

export class ConnectorSecretStore {
  private readonly key: Buffer;

  constructor(private readonly store: GovernanceStore, masterKey: string, private readonly now: () => number) {
    this.key = Buffer.from(hkdfSync('sha256', masterKey, 'clearance', 'connector-secrets v1', 32));
  }

  private ref(environment: Environment, connectorId: string) {
    return { environment, id: `secret:${connectorId}` };
  }

  async meta(tenant: string, environment: Environment, connectorId: string): Promise<SecretMeta> {
    const doc = await this.store.getDoc(tenant, this.ref(environment, connectorId));
    const value = doc?.value as unknown as StoredSecret | undefined;
    return { configured: !!value, clientId: value?.clientId ?? null, version: doc?.version ?? 0, updatedAt: doc?.at ?? null, updatedBy: doc?.changedBy ?? null };
  }

  /** Stores a new secret (compare-and-set on the version read); false when someone else wrote first. */
  async put(tenant: string, environment: Environment, connectorId: string, input: { clientId: string; secret: string; by: string }): Promise<boolean> {
    const current = await this.meta(tenant, environment, connectorId);
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.key, iv);
    cipher.setAAD(Buffer.from(`${tenant}|${environment}|${connectorId}`));
    const ct = Buffer.concat([cipher.update(input.secret, 'utf8'), cipher.final()]);
    const sealed = Buffer.concat([iv, cipher.getAuthTag(), ct]).toString('base64');
    const doc = { ref: this.ref(environment, connectorId), version: current.version + 1, value: { clientId: input.clientId, sealed }, changedBy: input.by, changeId: null, at: new Date(this.now()).toISOString(), reason: null };
    return (await this.store.commit(tenant, [{ type: 'put-doc', doc }])).ok;
  }

  /** The secret in clear, for the connector's own upstream call only; never for an API answer. */
  async reveal(tenant: string, environment: Environment, connectorId: string): Promise<{ clientId: string; secret: string } | null> {
    const doc = await this.store.getDoc(tenant, this.ref(environment, connectorId));
    const value = doc?.value as unknown as StoredSecret | undefined;
    if (!value) return null;
    const raw = Buffer.from(value.sealed, 'base64');
    const decipher = createDecipheriv('aes-256-gcm', this.key, raw.subarray(0, 12));
    decipher.setAAD(Buffer.from(`${tenant}|${environment}|${connectorId}`));
    decipher.setAuthTag(raw.subarray(12, 28));
    return { clientId: value.clientId, secret: Buffer.concat([decipher.update(raw.subarray(28)), decipher.final()]).toString('utf8') };
  }
}
