// The placeholders of a governed patient message template (`{{name}}`), for validating a proposed template before
// it is stored. The same grammar renders the template in connectors/messaging/template-render.ts; connectors import
// nothing of src and governance nothing of connectors, so each side states it and
// test/governance/template-placeholders.test.ts holds the two to one language.

const PLACEHOLDER = /\{\{\s*([a-zA-Z][a-zA-Z0-9_]*)\s*\}\}/g;

export function placeholdersOf(body: string): string[] {
  return [...new Set([...body.matchAll(PLACEHOLDER)].map((m) => m[1]!))];
}
