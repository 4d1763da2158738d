import type { JsonValue } from './json.js';

// Text people (and agents) write that others read: a change's reason or ticket, an access request's justification, an
// approver's comment, a proposed medication and dose, a note, and every string of a governed value (a connector's
// URL, a message template). Shown in the approval queue and the console and kept in the audit, so a character that
// changes how the rest displays would let a requester show approvers one thing and have another recorded or applied:
// C0 and C1 control characters (an ANSI escape re-colours a terminal reading `clearance audit`; FHIR R4 strings
// allow none but tab, CR and LF: https://hl7.org/fhir/R4/datatypes.html#string), the bidirectional embeddings,
// overrides and isolates of Unicode UAX #9 (U+202A-U+202E, U+2066-U+2069: "Trojan Source", CVE-2021-42574), Unicode
// tag characters (U+E0000-U+E007F: invisible text) and interlinear annotation marks (U+FFF9-U+FFFB), and lone
// surrogates (not text: no UTF-8 encoding). Tab and line breaks stay: reasons and templates have paragraphs. Pure.

const REFUSED = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F\u202A-\u202E\u2066-\u2069\uFFF9-\uFFFB\u{E0000}-\u{E007F}]|\p{Cs}/u;

/** Why `text` cannot be shown to people as it is, or null. */
export function freeTextProblem(text: string): string | null {
  const found = REFUSED.exec(text);
  if (!found) return null;
  const code = found[0].codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0');
  return `must not contain control characters, bidirectional overrides or isolates, invisible tags, or lone surrogates ` +
    `(U+${code} at ${found.index})`;
}

/** The first string (or object key) of a JSON value that freeTextProblem refuses, with its path; null when none. */
export function jsonTextProblem(value: JsonValue, path: string): { path: string; message: string } | null {
  if (typeof value === 'string') {
    const message = freeTextProblem(value);
    return message ? { path, message } : null;
  }
  if (Array.isArray(value)) {
    for (const [i, v] of value.entries()) {
      const hit = jsonTextProblem(v, `${path}[${i}]`);
      if (hit) return hit;
    }
    return null;
  }
  if (value === null || typeof value !== 'object') return null;
  for (const [k, v] of Object.entries(value)) {
    const key = freeTextProblem(k);
    if (key) return { path: `${path}.${JSON.stringify(k)}`, message: `key ${key}` };
    const hit = jsonTextProblem(v, `${path}.${k}`);
    if (hit) return hit;
  }
  return null;
}
