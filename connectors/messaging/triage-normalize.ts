// Text normalisation for triage. Pure and deterministic. A patient writes "I CANT BREATHEEE!!", "tengo dolor en el
// pécho", "chestpain": the classifier must see the same words. Steps, in order:
// - Unicode NFKD with combining marks removed (accents: "pécho" -> "pecho", "ñ" -> "n"), lower case;
// - apostrophes unified ("can’t" -> "can't"), then contractions expanded ("can't", "cant", "cannot" -> "can not");
// - clause ends (. ! ? ; : , newline) kept as a boundary token (a negation never reaches past a comma: "no, my
//   chest hurts" is affirmed), other punctuation becomes a space;
// - runs of one letter collapsed ("heeelp" -> "help" when matched, see `squeeze`);
// - each token mapped through the lexicon's misspellings (governed data: "brethe" -> "breathe").
// Joined words ("chestpain") and single-letter typos are handled when matching (triage-match.ts), not here.

/** A sentence boundary: negation windows and term gaps never cross it. */
export const BOUNDARY = '|';

// Contractions and their informal spellings (English; Spanish has none that matter here). Keys are tokens after
// apostrophes are dropped, so "can't" and "cant" are one entry.
const CONTRACTIONS: Readonly<Record<string, string>> = {
  cant: 'can not', cannot: 'can not', dont: 'do not', doesnt: 'does not', didnt: 'did not', wont: 'will not', wouldnt: 'would not',
  couldnt: 'could not', shouldnt: 'should not', isnt: 'is not', arent: 'are not', wasnt: 'was not', werent: 'were not',
  havent: 'have not', hasnt: 'has not', hadnt: 'had not', aint: 'is not', im: 'i am', ive: 'i have',
  its: 'it is', hes: 'he is', shes: 'she is', thats: 'that is', theres: 'there is', whats: 'what is', youre: 'you are',
  theyre: 'they are', theyve: 'they have', weve: 'we have', lets: 'let us', idk: 'i do not know', dunno: 'do not know',
  gonna: 'going to', wanna: 'want to', gotta: 'got to', cuz: 'because', bc: 'because', pls: 'please', plz: 'please', u: 'you', ur: 'your',
  r: 'are', n: 'and', w: 'with', wo: 'without', b4: 'before', '2day': 'today', tmrw: 'tomorrow', nt: 'not',
  // Spanish texting shorthand.
  q: 'que', k: 'que', xq: 'porque', pq: 'porque', porq: 'porque', tb: 'tambien', tmb: 'tambien', x: 'por',
};

/** A word with its contraction expanded ("cannot" -> "can not"); lexicon terms are compiled through it too. */
export const expandWord = (word: string): string => CONTRACTIONS[word] ?? word;

export function stripAccents(s: string): string {
  return s.normalize('NFKD').replace(/[\u0300-\u036f]/g, '');
}

const SQUEEZED = new Map<string, string>();
/**
 * Collapses every run of one letter to one ("bleeding" -> "bleding", "heeelp" -> "help"): the matching form. Asked
 * for every token against every lexicon term (triage-match.ts), so each token's answer is kept (bounded).
 */
export const squeeze = (token: string): string => {
  let squeezed = SQUEEZED.get(token);
  if (squeezed === undefined) {
    squeezed = token.replace(/(.)\1+/g, '$1');
    if (SQUEEZED.size >= 100_000) SQUEEZED.clear();
    SQUEEZED.set(token, squeezed);
  }
  return squeezed;
};

/**
 * The message as tokens: lower case, accent-free, contractions expanded, misspellings corrected, with BOUNDARY
 * tokens at sentence ends. `misspellings` maps a token (as written or squeezed) to its correct spelling (possibly several words).
 */
export function tokenize(text: string, misspellings: Readonly<Record<string, string>> = {}): string[] {
  const cleaned = stripAccents(text.toLowerCase())
    .replace(/[\u2018\u2019\u02bc`´]/g, "'")
    // Apostrophes inside words are dropped ("can't" -> "cant"), elsewhere they are spaces.
    .replace(/(\p{L})'(\p{L})/gu, '$1$2')
    // An ellipsis is a hesitation inside a clause ("my chest... it hurts"), not its end.
    .replace(/\.{2,}|\u2026/g, ' ')
    .replace(/[.!?;:,\n\r]+/g, ` ${BOUNDARY} `)
    .replace(/[^a-z0-9|]+/g, ' ');
  const out: string[] = [];
  for (const raw of cleaned.split(' ')) {
    if (raw === '') continue;
    if (raw === BOUNDARY) {
      if (out.length > 0 && out[out.length - 1] !== BOUNDARY) out.push(BOUNDARY);
      continue;
    }
    const corrected = misspellings[raw] ?? misspellings[squeeze(raw)] ?? raw;
    for (const word of corrected.split(' ')) {
      const expanded = expandWord(word);
      out.push(...expanded.split(' '));
    }
  }
  while (out[out.length - 1] === BOUNDARY) out.pop();
  return out;
}
