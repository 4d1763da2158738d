import type { z } from 'zod';

// A document that failed validation: the gateway's configuration (environment, JWKS and trusted-documents files), a
// stored change request read back, approval rules. Thrown once with every problem found, so an operator fixes it in
// one pass instead of one restart per mistake. Problems name the path or variable, never its value (values can hold
// credentials, e.g. REDIS_URL). Never reaches a client as such: at start-up it is printed (exit 2), a corrupt stored
// document is masked at the edge. The policy kernel's own PolicyDocumentError (rules/policy-document.ts) has the
// same shape; rules/ imports nothing of src.

type ParsedDocument = 'configuration' | 'change request' | 'approval rules';

export class ParseError extends Error {
  override readonly name = 'ParseError';
  readonly problems: readonly string[];

  constructor(
    readonly document: ParsedDocument,
    problems: readonly string[],
  ) {
    const list = problems.map((p) => `  - ${p}`).join('\n');
    super(`Invalid ${document} (${problems.length} problem${problems.length === 1 ? '' : 's'}):\n${list}`);
    this.problems = Object.freeze([...problems]);
  }
}

/** Parses with a zod schema; throws one ParseError naming every bad path (`(root)` for the document itself). */
export function parseDocument<S extends z.ZodType>(document: ParsedDocument, schema: S, input: unknown): z.output<S> {
  const result = schema.safeParse(input);
  if (!result.success) throw new ParseError(document, result.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`));
  return result.data;
}
