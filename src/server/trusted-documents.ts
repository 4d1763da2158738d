import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { ParseError } from '../errors/parse-error.js';
import type { TrustedDocumentsMode } from '../config/frontend-config.js';
import { TrustedDocumentError } from '../errors/document-errors.js';

// Trusted documents (issue 14): in production a gateway should run the operations its frontends were built with and
// nothing else. The allowlist is the manifest graphql-codegen's client preset writes with `persistedDocuments`
// (persisted-documents.json: `{ "<sha256 or sha1 hex>": "<document>" }`); the console ships one
// (console/src/gql/persisted-documents.json). A request names its document by hash, as
// `extensions.persistedQuery.sha256Hash` (Apollo's shape) or `documentId` ("sha256:<hex>" or "<hex>", the GraphQL
// over HTTP draft's), or sends the document's text, which must then be in the manifest (enforce mode).
// https://the-guild.dev/graphql/codegen/plugins/presets/preset-client#persisted-documents

const HEX = { sha256: /^[0-9a-f]{64}$/, sha1: /^[0-9a-f]{40}$/ } as const;

function hashOf(document: string, algorithm: 'sha256' | 'sha1'): string {
  return createHash(algorithm).update(document).digest('hex');
}

/** Parses and checks a manifest: every key must be the hash of its document, so an edited manifest fails at start-up. */
function parseManifest(json: unknown, name: string): ReadonlyMap<string, string> {
  if (json === null || typeof json !== 'object' || Array.isArray(json)) {
    throw new ParseError('configuration', [`TRUSTED_DOCUMENTS_FILE: ${name} is not a JSON object of hash -> document`]);
  }
  const out = new Map<string, string>();
  const problems: string[] = [];
  for (const [hash, document] of Object.entries(json as Record<string, unknown>)) {
    const algorithm = HEX.sha256.test(hash) ? 'sha256' : HEX.sha1.test(hash) ? 'sha1' : null;
    if (typeof document !== 'string' || algorithm === null)
      problems.push(`TRUSTED_DOCUMENTS_FILE: entry ${hash.slice(0, 16)}: not a hex hash -> document string`);
    else if (hashOf(document, algorithm) !== hash)
      problems.push(`TRUSTED_DOCUMENTS_FILE: entry ${hash.slice(0, 16)}: the hash is not the ${algorithm} of its document`);
    else out.set(hash, document);
  }
  if (problems.length > 0) throw new ParseError('configuration', problems);
  if (out.size === 0) throw new ParseError('configuration', [`TRUSTED_DOCUMENTS_FILE: ${name} holds no document`]);
  return out;
}

/** The GraphQL request fields this gateway reads (POST body or GET parameters). */
export interface GraphqlParams {
  query?: unknown;
  documentId?: unknown;
  extensions?: unknown;
  [key: string]: unknown;
}

export class TrustedDocuments {
  /** By document text, for requests that send the text (the console, curl) in enforce mode. */
  private readonly byText: ReadonlySet<string>;

  constructor(
    readonly mode: TrustedDocumentsMode,
    private readonly manifest: ReadonlyMap<string, string>,
  ) {
    this.byText = new Set(manifest.values());
  }

  static async load(mode: TrustedDocumentsMode, file: string | null): Promise<TrustedDocuments> {
    if (mode === 'off' || file === null) return new TrustedDocuments('off', new Map());
    let json: unknown;
    try {
      json = JSON.parse(await readFile(file, 'utf8'));
    } catch (e) {
      const why = (e as Error).message.split('\n')[0];
      throw new ParseError('configuration', [`TRUSTED_DOCUMENTS_FILE: cannot read ${file} as JSON (${why})`]);
    }
    return new TrustedDocuments(mode, parseManifest(json, file));
  }

  get size(): number {
    return this.manifest.size;
  }

  /**
   * The request with its document in `query` and no persisted-query extension (Apollo's own APQ stays off), or a
   * TrustedDocumentError. A hash wins over a sent text: what runs is the manifest's document, never the client's.
   */
  resolve(params: GraphqlParams): GraphqlParams {
    const hash = requestedHash(params);
    const { documentId: _id, ...rest } = params;
    const extensions = withoutPersistedQuery(params.extensions);
    const out: GraphqlParams = { ...rest, ...(extensions === undefined ? {} : { extensions }) };
    if (extensions === undefined) delete out.extensions;
    if (hash !== null) {
      if (this.mode === 'off') {
        // The console sends its hash always; without a manifest its text is what runs (a bare hash cannot).
        if (typeof params.query === 'string' && params.query !== '') return out;
        throw new TrustedDocumentError('TRUSTED_DOCUMENTS_OFF');
      }
      const document = this.manifest.get(hash);
      if (document === undefined) throw new TrustedDocumentError('TRUSTED_DOCUMENT_UNKNOWN');
      return { ...out, query: document };
    }
    if (this.mode === 'enforce' && !(typeof params.query === 'string' && this.byText.has(params.query))) {
      throw new TrustedDocumentError('TRUSTED_DOCUMENT_REQUIRED');
    }
    return out;
  }
}

function requestedHash(params: GraphqlParams): string | null {
  const ext = params.extensions as { persistedQuery?: { sha256Hash?: unknown } } | undefined;
  const apq = ext && typeof ext === 'object' ? ext.persistedQuery?.sha256Hash : undefined;
  const raw = typeof params.documentId === 'string' ? params.documentId.replace(/^sha256:/, '') : typeof apq === 'string' ? apq : null;
  if (raw === null) return params.documentId !== undefined || apq !== undefined ? '' : null;
  return raw.toLowerCase();
}

function withoutPersistedQuery(extensions: unknown): unknown {
  if (extensions === null || typeof extensions !== 'object' || Array.isArray(extensions)) return extensions;
  const { persistedQuery: _pq, ...rest } = extensions as Record<string, unknown>;
  return Object.keys(rest).length > 0 ? rest : undefined;
}
