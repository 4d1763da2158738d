// Patient message templates: `{{name}}` placeholders, every one required. Pure: rendering either fills every
// placeholder or names the missing ones, so nothing half-rendered is ever sent.

const PLACEHOLDER = /\{\{\s*([a-zA-Z][a-zA-Z0-9_]*)\s*\}\}/g;

export function placeholdersOf(body: string): string[] {
  return [...new Set([...body.matchAll(PLACEHOLDER)].map((m) => m[1]!))];
}

export type RenderResult = { readonly ok: true; readonly text: string } | { readonly ok: false; readonly missing: readonly string[] };

/** Fills the template. Values are inserted as text (CR/LF folded to spaces: a value cannot add mail headers or lines). */
export function renderTemplate(body: string, variables: Readonly<Record<string, string>>): RenderResult {
  const missing = placeholdersOf(body).filter((name) => typeof variables[name] !== 'string' || variables[name].trim() === '');
  if (missing.length > 0) return { ok: false, missing };
  return { ok: true, text: body.replace(PLACEHOLDER, (_m, name: string) => variables[name]!.replace(/[\r\n]+/g, ' ')) };
}
