// The one normalisation of free text before the value sets' words are matched (../sensitivity.ts sensitivityOfText):
// a text that reads as "Truvada" or "HIV" to a person must read so to the patterns, however it was typed, pasted or
// encoded. Pure, and only ever used to classify: the text shown to a caller is never changed.
//
// In order: HTML character references decoded (a note pasted from a web form: "&#72;IV", "Tru&shy;vada", "&amp;");
// Unicode NFKC (full-width "ＨＩＶ", ligatures, compatibility forms); invisible format characters dropped (zero-width
// space, joiners, word joiner, BOM, soft hyphen, bidi controls: every Unicode Cf character); look-alike Cyrillic and
// Greek letters mapped to the Latin letter they are drawn as ("НІV" typed with Cyrillic Н and І); diacritics folded
// (NFD, combining marks dropped: "Trúvada", "heroína", "Alcohólicos Anónimos"); typographic apostrophes as "'"; and
// every run of white space, line breaks included, as one space ("human immunodeficiency\nvirus").

/** Named references of HTML that a note is likely to carry in place of a letter, a space or a mark. */
const NAMED: Readonly<Record<string, string>> = {
  amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: ' ', ensp: ' ', emsp: ' ', thinsp: ' ', shy: '\u00AD',
  zwsp: '\u200B', zwnj: '\u200C', zwj: '\u200D', ZeroWidthSpace: '\u200B', NoBreak: '\u2060', hyphen: '-', dash: '-',
  ndash: '-', mdash: '-', minus: '-', period: '.', comma: ',', colon: ':', sol: '/', lpar: '(', rpar: ')', plus: '+',
  rsquo: "'", lsquo: "'", rdquo: '"', ldquo: '"', szlig: 'ss', aelig: 'ae', AElig: 'AE', oslash: 'o', Oslash: 'O',
};
/** A letter with its accent: "&eacute;", "&Ntilde;", "&uuml;" (the accent is folded away after). */
const ACCENTED = /^([A-Za-z])(acute|grave|circ|uml|tilde|cedil|ring|caron|macr|breve|ogon|dot)$/;

const REFERENCE = /&(?:#[xX]([0-9a-fA-F]{1,6});?|#([0-9]{1,7});?|([A-Za-z][A-Za-z0-9]{1,31});)/g;

function fromCodePoint(n: number): string | null {
  return Number.isSafeInteger(n) && n >= 0 && n <= 0x10ffff && !(n >= 0xd800 && n <= 0xdfff) ? String.fromCodePoint(n) : null;
}

/** One pass of decoding; an unknown name is left as written. */
function decodeOnce(text: string): string {
  return text.replace(REFERENCE, (whole, hex: string | undefined, dec: string | undefined, name: string | undefined) => {
    if (hex !== undefined) return fromCodePoint(Number.parseInt(hex, 16)) ?? whole;
    if (dec !== undefined) return fromCodePoint(Number.parseInt(dec, 10)) ?? whole;
    const n = name ?? '';
    if (Object.hasOwn(NAMED, n)) return NAMED[n]!;
    const accented = ACCENTED.exec(n);
    return accented ? accented[1]! : whole;
  });
}

/** HTML character references, decoded until stable (twice at most more: "&amp;#72;" is "&#72;" is "H"). */
function decodeCharacterReferences(text: string): string {
  let out = text;
  for (let i = 0; i < 3 && out.includes('&'); i++) {
    const next = decodeOnce(out);
    if (next === out) break;
    out = next;
  }
  return out;
}

/** Cyrillic and Greek letters drawn as a Latin letter, to that letter (the common homoglyphs, both cases). */
const LOOK_ALIKES: Readonly<Record<string, string>> = {
  // Cyrillic capitals and small letters.
  А: 'A', В: 'B', Е: 'E', Ѕ: 'S', І: 'I', Ї: 'I', Ј: 'J', К: 'K', М: 'M', Н: 'H', О: 'O', Р: 'P', С: 'C', Т: 'T', У: 'Y', Х: 'X',
  а: 'a', е: 'e', ѕ: 's', і: 'i', ї: 'i', ј: 'j', о: 'o', р: 'p', с: 'c', у: 'y', х: 'x', һ: 'h', ԁ: 'd', ԛ: 'q', ԝ: 'w',
  // Greek capitals, and the small letters drawn as Latin ones.
  Α: 'A', Β: 'B', Ε: 'E', Ζ: 'Z', Η: 'H', Ι: 'I', Κ: 'K', Μ: 'M', Ν: 'N', Ο: 'O', Ρ: 'P', Τ: 'T', Υ: 'Y', Χ: 'X',
  ο: 'o', ι: 'i', κ: 'k', ν: 'v', ρ: 'p', τ: 't', υ: 'u', χ: 'x',
};
const LOOK_ALIKE = new RegExp(`[${Object.keys(LOOK_ALIKES).join('')}]`, 'gu');

/** The text as the value sets' words are matched against it. */
export function normalizeForMatching(text: string): string {
  return decodeCharacterReferences(text)
    .normalize('NFKC')
    .replace(/\p{Cf}/gu, '')
    .replace(LOOK_ALIKE, (c) => LOOK_ALIKES[c] ?? c)
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .normalize('NFC')
    .replace(/[\u2018\u2019\u201B\u02BC\u02B9\u2032\u0060\u00B4]/g, "'")
    .replace(/\s+/g, ' ');
}

/** HIV run together with what a lab or a note writes after it ("HIVRNA", "hivab", "hiv1rna", "HIVVL"). */
const HIV_JOINED =
  /\b(hiv(?:[- ]?[12])?)(?=(?:rna|dna|ab|abs|ag|agab|vl|pcr|quant|test|tests|screen|viral|pos|neg|reactive|positive|negative|status|care|clinic|meds?)\b)/gi;

/**
 * The same normalised text with the words that a code system, a form or a lab system ran together taken apart:
 * underscores as spaces ("heroin_use_disorder", "HIV_RNA_QUANT"), camel case split ("MethadoneClinic", "antiHIV",
 * "HIVPositive", "HIVAb") and HIV run together with a lab word ("HIVRNA", "hiv1rna"). A second reading, asked only
 * when it differs: the first one keeps what depends on case as written (`PrEP`, which a split would cut), and a
 * word that merely begins like one ("hives", "archive") is never cut.
 */
export function withJoinedWordsApart(normalized: string): string {
  return normalized
    .replace(/_+/g, ' ')
    .replace(/([a-z])([A-Z])/g, '$1 $2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1 $2')
    .replace(HIV_JOINED, '$1 ');
}
