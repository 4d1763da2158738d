// The product's patient message template language: `{{name}}` placeholders (a letter, then letters, digits or `_`;
// spaces inside the braces allowed), every one required. Stated once for every layer (spec/, README "Layers"):
// governance validates a proposed template with placeholdersOf before it is stored, and the messaging connector
// renders it with renderTemplate, so a template that passes validation is read alike when it is sent. Pure:
// rendering either fills every placeholder or names the missing ones, so nothing half-rendered is ever sent.

const PLACEHOLDER = /\{\{\s*([a-zA-Z][a-zA-Z0-9_]*)\s*\}\}/g;

export function placeholdersOf(body: string): string[] {
  return [...new Set([...body.matchAll(PLACEHOLDER)].map((m) => m[1]!))];
}

type RenderResult = { readonly ok: true; readonly text: string } | { readonly ok: false; readonly missing: readonly string[] };

/** Fills the template. Values are inserted as text (CR/LF folded to spaces: a value cannot add mail headers or lines). */
export function renderTemplate(body: string, variables: Readonly<Record<string, string>>): RenderResult {
  const missing = placeholdersOf(body).filter((name) => typeof variables[name] !== 'string' || variables[name].trim() === '');
  if (missing.length > 0) return { ok: false, missing };
  return { ok: true, text: body.replace(PLACEHOLDER, (_m, name: string) => variables[name]!.replace(/[\r\n]+/g, ' ')) };
}
