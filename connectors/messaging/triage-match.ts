import { BOUNDARY, expandWord, squeeze, stripAccents } from './triage-normalize.js';

// Matching one lexicon term against the tokens of a message. Pure. A term is words separated by spaces, with:
// - `*` alone: a gap of 0 to GAP_MAX words inside the same clause ("chest * hurt" matches "my chest really hurts");
// - `word*`: any word starting with `word` ("breath*" matches breathe, breathing, breathless);
// - `#`: any number ("# weeks old"); `##`: a number of 10 or more ("took ## pills").
// Words compare in their squeezed form (repeated letters collapsed, so "chesttt" is "chest"), tolerate one typo
// (one letter inserted, dropped, changed to a neighbouring key, or two swapped) in words of six letters or more, and
// in five-letter words one dropped, added or swapped letter, unless the message's word is in `neverCorrect` ("cooking"
// is not "choking"), and may be joined ("chestpain", "cantbreathe") or split
// ("over dose") in the message.

const GAP_MAX = 4;
const FUZZY_MIN = 6;

type Element =
  | { readonly kind: 'word'; readonly text: string; readonly prefix: boolean }
  | { readonly kind: 'gap' }
  | { readonly kind: 'number'; readonly many: boolean };

export interface CompiledTerm {
  readonly source: string;
  readonly elements: readonly Element[];
}

export interface TermMatch {
  readonly start: number;
  /** Exclusive. */
  readonly end: number;
}

export function compileTerm(source: string): CompiledTerm {
  const words = stripAccents(source.toLowerCase())
    .replace(/(\p{L})'(\p{L})/gu, '$1$2')
    .replace(/[^a-z0-9*# ]+/g, ' ')
    .split(' ')
    .filter((w) => w !== '')
    .flatMap((w) => (w.endsWith('*') || w.startsWith('#') ? [w] : expandWord(w).split(' ')));
  const elements: Element[] = words.map((w): Element => {
    if (w === '*') return { kind: 'gap' };
    if (w === '#' || w === '##') return { kind: 'number', many: w === '##' };
    const prefix = w.endsWith('*');
    return { kind: 'word', text: squeeze(prefix ? w.slice(0, -1) : w), prefix };
  });
  return { source, elements };
}

// Letters next to each other on a QWERTY keyboard: a substituted letter is a typo only when the fingers slipped.
// Other substitutions make another real word too often ("checking" is not "choking").
const ROWS = ['qwertyuiop', 'asdfghjkl', 'zxcvbnm'];
const near = (x: string, y: string): boolean =>
  ROWS.some((row, r) => {
    const i = row.indexOf(x);
    if (i < 0) return false;
    return [ROWS[r - 1], row, ROWS[r + 1]].some((other) => other !== undefined && [i - 1, i, i + 1].some((j) => other[j] === y));
  });

/**
 * Damerau-Levenshtein distance of at most one (optimal string alignment) without building a matrix, where a
 * substitution counts only between neighbouring keys.
 */
function withinOneEdit(a: string, b: string): boolean {
  if (a === b) return true;
  if (Math.abs(a.length - b.length) > 1) return false;
  let i = 0;
  while (i < a.length && i < b.length && a[i] === b[i]) i++;
  if (a.length === b.length) {
    if (a.slice(i + 1) === b.slice(i + 1)) return near(a[i]!, b[i]!); // one substitution
    return a[i] === b[i + 1] && a[i + 1] === b[i] && a.slice(i + 2) === b.slice(i + 2); // one transposition
  }
  const [longer, shorter] = a.length > b.length ? [a, b] : [b, a];
  return longer.slice(i + 1) === shorter.slice(i);
}

const isSwap = (a: string, b: string): boolean => {
  const i = [...a].findIndex((ch, k) => ch !== b[k]);
  return i >= 0 && a[i] === b[i + 1] && a[i + 1] === b[i] && a.slice(i + 2) === b.slice(i + 2);
};

export interface MatchOptions {
  readonly neverCorrect: ReadonlySet<string>;
}

function wordEquals(token: string, word: string, prefix: boolean, o: MatchOptions): boolean {
  const t = squeeze(token);
  if (prefix ? t.startsWith(word) : t === word) return true;
  // A typo never turns a word of the first letter's choice into another (first letters are rarely mistyped).
  if (word.length < FUZZY_MIN - 1 || t[0] !== word[0] || o.neverCorrect.has(token)) return false;
  // Five-letter words ("chest", "pecho") take a dropped, added or swapped letter, never a changed one.
  if (word.length < FUZZY_MIN && (prefix || (t.length === word.length && !isSwap(t, word)))) return false;
  if (!prefix) return withinOneEdit(t, word);
  return [word.length - 1, word.length, word.length + 1].some((n) => n <= t.length && withinOneEdit(t.slice(0, n), word));
}

function matchFrom(elements: readonly Element[], ei: number, tokens: readonly string[], pos: number, o: MatchOptions): number {
  if (ei === elements.length) return pos;
  const el = elements[ei]!;
  if (el.kind === 'gap') {
    for (let k = 0; k <= GAP_MAX; k++) {
      if (k > 0 && (pos + k - 1 >= tokens.length || tokens[pos + k - 1] === BOUNDARY)) break;
      const end = matchFrom(elements, ei + 1, tokens, pos + k, o);
      if (end >= 0) return end;
    }
    return -1;
  }
  const token = tokens[pos];
  if (token === undefined || token === BOUNDARY) return -1;
  if (el.kind === 'number')
    return /^\d+$/.test(token) && (!el.many || Number(token) >= 10) ? matchFrom(elements, ei + 1, tokens, pos + 1, o) : -1;
  if (wordEquals(token, el.text, el.prefix, o)) {
    const end = matchFrom(elements, ei + 1, tokens, pos + 1, o);
    if (end >= 0) return end;
  }
  // Joined in the message: one token covering two or three consecutive words of the term ("chestpain").
  let joined = el.text;
  for (let j = ei + 1; j < elements.length && j < ei + 3; j++) {
    const next = elements[j]!;
    if (next.kind !== 'word') break;
    joined += next.text;
    if (wordEquals(token, squeeze(joined), next.prefix, o)) {
      const end = matchFrom(elements, j + 1, tokens, pos + 1, o);
      if (end >= 0) return end;
    }
  }
  // Split in the message: two tokens making one word of the term ("over dose", "sui cide").
  const second = tokens[pos + 1];
  if (second !== undefined && second !== BOUNDARY && el.text.length >= FUZZY_MIN && wordEquals(token + second, el.text, el.prefix, o)) {
    return matchFrom(elements, ei + 1, tokens, pos + 2, o);
  }
  return -1;
}

/** Every place the term matches (leftmost, shortest), non-overlapping. */
export function findTerm(term: CompiledTerm, tokens: readonly string[], o: MatchOptions): TermMatch[] {
  const out: TermMatch[] = [];
  if (term.elements.length === 0) return out;
  for (let start = 0; start < tokens.length; start++) {
    if (term.elements[0]!.kind === 'gap') break; // a term never starts with a gap (the schema refuses it)
    const end = matchFrom(term.elements, 0, tokens, start, o);
    if (end > start) {
      out.push({ start, end });
      start = end - 1;
    }
  }
  return out;
}
