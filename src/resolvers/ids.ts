import { BadUserInputError } from '../errors/errors.js';
import { isFhirId } from '../../spec/fhir-id.js';


/** A malformed id is the caller's mistake and gets a clear error; a well-formed unknown id is simply not found. */
export function requireFhirId(id: string, field = 'id'): string {
  if (!isFhirId(id)) throw new BadUserInputError(`${field} is not a valid FHIR id (1-64 of A-Z a-z 0-9 - .)`, field);
  return id;
}

export type NodeType = 'Patient' | 'Encounter';

/** Global ids are `<ResourceType>/<id>`, the FHIR relative reference form. */
export function parseGlobalId(globalId: string): { type: NodeType; id: string } {
  const [type, id, ...rest] = globalId.split('/');
  if (rest.length > 0 || (type !== 'Patient' && type !== 'Encounter') || id === undefined) {
    throw new BadUserInputError('id must be a global id of the form Patient/<id> or Encounter/<id>', 'id');
  }
  return { type, id: requireFhirId(id) };
}

export function encodeCursor(offset: number): string {
  return Buffer.from(`offset:${offset}`).toString('base64url');
}

export function decodeCursor(cursor: string | null | undefined): number {
  if (cursor === null || cursor === undefined) return 0;
  const m = /^offset:(\d{1,9})$/.exec(Buffer.from(cursor, 'base64url').toString());
  if (!m) throw new BadUserInputError('after is not a cursor returned by this API', 'after');
  return Number(m[1]);
}

export function pageSize(
  first: number | null | undefined,
  limits: { defaultPageSize: number; maxPageSize: number },
  field = 'first',
): number {
  const n = first ?? limits.defaultPageSize;
  if (!Number.isInteger(n) || n < 1 || n > limits.maxPageSize) {
    throw new BadUserInputError(`${field} must be between 1 and ${limits.maxPageSize}`, field);
  }
  return n;
}
