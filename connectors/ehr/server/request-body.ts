import type { IncomingMessage } from 'node:http';

// Request bodies the embedded FHIR server accepts (https://hl7.org/fhir/R4/http.html#mime-type): JSON resources as
// application/fhir+json or application/json, and application/x-www-form-urlencoded for `POST [type]/_search`
// (https://hl7.org/fhir/R4/http.html#search-post).

export type ParsedBody =
  | { readonly kind: 'none' }
  | { readonly kind: 'json'; readonly value: unknown }
  | { readonly kind: 'form'; readonly value: Record<string, string | string[]> }
  | { readonly kind: 'invalid'; readonly status: 400 | 413 | 415; readonly reason: string };

/** Large enough for a transaction of a few Synthea patients; the seed does not go through HTTP. */
const MAX_BODY_BYTES = 32 * 1024 * 1024;

async function readRaw(req: IncomingMessage): Promise<Buffer | null> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    const buffer = chunk as Buffer;
    size += buffer.length;
    if (size > MAX_BODY_BYTES) return null;
    chunks.push(buffer);
  }
  return Buffer.concat(chunks);
}

/** Query-string style pairs into the record shape medplum's parseSearchRequest takes (repeats become arrays). */
export function formToRecord(params: URLSearchParams): Record<string, string | string[]> {
  const record: Record<string, string | string[]> = Object.create(null) as Record<string, string | string[]>;
  for (const key of new Set(params.keys())) {
    const values = params.getAll(key);
    record[key] = values.length === 1 ? (values[0] as string) : values;
  }
  return record;
}

export async function readBody(req: IncomingMessage): Promise<ParsedBody> {
  const raw = await readRaw(req);
  if (raw === null) return { kind: 'invalid', status: 413, reason: 'Request body too large' };
  if (raw.length === 0) return { kind: 'none' };
  const contentType = (req.headers['content-type'] ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
  const text = raw.toString('utf8');
  if (contentType === 'application/fhir+json' || contentType === 'application/json' || contentType === '') {
    try {
      return { kind: 'json', value: JSON.parse(text) as unknown };
    } catch {
      return { kind: 'invalid', status: 400, reason: 'Body is not valid JSON' };
    }
  }
  if (contentType === 'application/x-www-form-urlencoded') {
    return { kind: 'form', value: formToRecord(new URLSearchParams(text)) };
  }
  return { kind: 'invalid', status: 415, reason: 'Unsupported content type' };
}
