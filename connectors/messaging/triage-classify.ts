import { BOUNDARY, tokenize } from './triage-normalize.js';
import { compileTerm, findTerm, type CompiledTerm, type MatchOptions, type TermMatch } from './triage-match.js';
import { TRIAGE_LANGUAGES, type TriageAction, type TriageConcept, type TriageLanguage, type TriageLexicon } from './triage-lexicon.js';

// The triage classifier: pure and deterministic (no network, no model). It errs toward safety:
// - every concept of the lexicon is looked for in every language, in the normalised tokens (triage-normalize.ts);
// - a mention is negated, resolved or historical only when a cue (NegEx, Chapman et al. 2001, and its ConText
//   extension, Harkema et al. 2009) reaches it within the window and clause, and no pseudo-cue ("not sure", "won't
//   stop") masks the cue; a cue inside another concept's words ("can not breathe") is part of that concept, never a cue;
// - an affirmed emergency anywhere in the message wins, whatever else the message says;
// - an emergency mentioned but negated, resolved or historical, or any clinical symptom, is clinical: nurse triage;
// - every decision lists its findings: the concept, the words that matched, and the cue that qualified them.

type TriageLevel = 'emergency' | 'clinical' | 'none';
type FindingStatus = 'affirmed' | 'negated' | 'resolved' | 'historical';

interface TriageFinding {
  readonly concept: string;
  readonly level: 'emergency' | 'clinical';
  readonly language: TriageLanguage | 'rule';
  /** The lexicon term that matched, and the message's words it matched (normalised). */
  readonly term: string;
  readonly words: string;
  readonly status: FindingStatus;
  /** The cue that negated, resolved or dated the mention, e.g. `no` or `went away`. */
  readonly cue: string | null;
}

export interface TriageResult {
  readonly level: TriageLevel;
  /** For an emergency: crisis-line when self-harm is affirmed, else the first affirmed concept's action. */
  readonly action: TriageAction | null;
  /** The concept that decided (the first affirmed emergency, else the first clinical finding). */
  readonly concept: string | null;
  readonly findings: readonly TriageFinding[];
  readonly explanation: string;
}

/** Extra literal emergency rules (the governed `messaging.emergencyEscalationRules`), matched like concepts. */
export interface ExtraEmergencyRule {
  readonly id: string;
  readonly keywords: readonly string[];
  readonly action: string;
}

interface CompiledConcept {
  readonly concept: TriageConcept | { id: string; level: 'emergency'; action: string };
  readonly terms: readonly { readonly language: TriageLanguage | 'rule'; readonly term: CompiledTerm }[];
}

interface CompiledCues {
  readonly pre: readonly CompiledTerm[];
  readonly post: readonly CompiledTerm[];
  readonly historical: readonly CompiledTerm[];
  readonly pseudo: readonly CompiledTerm[];
  readonly terminators: readonly CompiledTerm[];
}

export interface CompiledLexicon {
  readonly concepts: readonly CompiledConcept[];
  readonly cues: CompiledCues;
  readonly exclusions: readonly CompiledTerm[];
  readonly window: TriageLexicon['window'];
  readonly misspellings: TriageLexicon['misspellings'];
  readonly options: MatchOptions;
}

// Compiling is not free: a governed value (and its emergency rules) is compiled once per distinct value. The value
// arrives as a new object on every read (a store parses it anew), so the cache is keyed by content, not identity;
// a few versions are kept (a new one appears only when a governed change applies).
const cache = new Map<string, CompiledLexicon>();
const CACHED_VERSIONS = 8;

export function compileLexicon(lexicon: TriageLexicon, extra: readonly ExtraEmergencyRule[] = []): CompiledLexicon {
  const key = JSON.stringify([lexicon, extra]);
  const cached = cache.get(key);
  if (cached) return cached;
  const all = (pick: (c: TriageLexicon['negation'][TriageLanguage]) => readonly string[]) =>
    TRIAGE_LANGUAGES.flatMap((l) => pick(lexicon.negation[l]).map(compileTerm));
  const compiled: CompiledLexicon = {
    concepts: [
      ...extra.map((r) => ({
        concept: { id: r.id, level: 'emergency' as const, action: r.action },
        terms: r.keywords.map((k) => ({ language: 'rule' as const, term: compileTerm(k) })),
      })),
      ...lexicon.concepts.map((c) => ({
        concept: c,
        terms: TRIAGE_LANGUAGES.flatMap((l) => (c.terms[l] ?? []).map((t) => ({ language: l, term: compileTerm(t) }))),
      })),
    ],
    cues: {
      pre: all((c) => c.pre),
      post: all((c) => c.post),
      historical: all((c) => c.historical),
      pseudo: all((c) => c.pseudo),
      terminators: all((c) => c.terminators),
    },
    exclusions: lexicon.exclusions.map(compileTerm),
    window: lexicon.window,
    misspellings: lexicon.misspellings,
    options: { neverCorrect: new Set(lexicon.neverCorrect) },
  };
  if (cache.size >= CACHED_VERSIONS) cache.delete(cache.keys().next().value!);
  cache.set(key, compiled);
  return compiled;
}

interface Mention {
  readonly concept: CompiledConcept['concept'];
  readonly language: TriageLanguage | 'rule';
  readonly term: string;
  readonly at: TermMatch;
}

interface Cue {
  readonly text: string;
  readonly at: TermMatch;
}

const overlaps = (a: TermMatch, b: TermMatch) => a.start < b.end && b.start < a.end;

export function classify(text: string, lexicon: CompiledLexicon): TriageResult {
  const tokens = tokenize(text, lexicon.misspellings);
  const find = (terms: readonly CompiledTerm[]): Cue[] =>
    terms.flatMap((t) => findTerm(t, tokens, lexicon.options).map((at) => ({ text: t.source, at })));

  const excluded = find(lexicon.exclusions).map((x) => x.at);
  const mentions: Mention[] = [];
  for (const c of lexicon.concepts) {
    for (const { language, term } of c.terms) {
      for (const at of findTerm(term, tokens, lexicon.options)) {
        // The lexicon's own emergency concepts only: a governed emergency rule's keyword always counts where it is found,
        // and "flu shot" is still clinical.
        if (language !== 'rule' && c.concept.level === 'emergency' && excluded.some((x) => overlaps(x, at))) continue;
        mentions.push({ concept: c.concept, language, term: term.source, at });
      }
    }
  }
  // A cue is not a cue inside a pseudo-cue ("not sure") nor inside an emergency mention's own words ("can not breathe").
  const masks = [
    ...find(lexicon.cues.pseudo).map((p) => p.at),
    ...mentions.filter((m) => m.concept.level === 'emergency').map((m) => m.at),
  ];
  const live = (cues: Cue[]) => cues.filter((c) => !masks.some((m) => overlaps(m, c.at)));
  const pre = live(find(lexicon.cues.pre));
  const post = live(find(lexicon.cues.post));
  const historical = live(find(lexicon.cues.historical));
  const stops = new Set<number>();
  tokens.forEach((t, i) => t === BOUNDARY && stops.add(i));
  for (const t of find(lexicon.cues.terminators)) for (let i = t.at.start; i < t.at.end; i++) stops.add(i);
  const clear = (from: number, to: number) => {
    for (let i = from; i < to; i++) if (stops.has(i)) return false;
    return true;
  };
  const before = (m: TermMatch, cues: Cue[]) =>
    cues.find((c) => c.at.end <= m.start && m.start - c.at.end <= lexicon.window.pre && clear(c.at.end, m.start));
  const after = (m: TermMatch, cues: Cue[]) =>
    cues.find((c) => c.at.start >= m.end && c.at.start - m.end <= lexicon.window.post && clear(m.end, c.at.start));

  const found: { readonly finding: TriageFinding; readonly span: TermMatch }[] = [];
  for (const m of mentions) {
    // One mention per place and concept: the first term that matched there stands for it, unless it is qualified and
    // this one is affirmed ("no pain before but now my chest feels tight": "pain ... chest" is negated, "chest feels tight" is not).
    const same = found.findIndex((f) => f.finding.concept === m.concept.id && overlaps(f.span, m.at));
    if (same >= 0 && found[same]!.finding.status === 'affirmed') continue;
    // A clinical mention inside an emergency mention's words is the same thing said once ("pain" in "chest pain").
    if (m.concept.level === 'clinical' && mentions.some((e) => e.concept.level === 'emergency' && overlaps(e.at, m.at))) continue;
    const negated = before(m.at, pre);
    const resolved = negated ? undefined : after(m.at, post);
    const dated = negated || resolved ? undefined : (before(m.at, historical) ?? after(m.at, historical));
    const status: FindingStatus = negated ? 'negated' : resolved ? 'resolved' : dated ? 'historical' : 'affirmed';
    const finding: TriageFinding = {
      concept: m.concept.id,
      level: m.concept.level,
      language: m.language,
      term: m.term,
      words: tokens.slice(m.at.start, m.at.end).join(' '),
      status,
      cue: (negated ?? resolved ?? dated)?.text ?? null,
    };
    if (same >= 0) {
      if (status === 'affirmed') found[same] = { finding, span: m.at };
      continue;
    }
    found.push({ finding, span: m.at });
  }
  const clean = found.sort((a, b) => a.span.start - b.span.start).map((f) => f.finding);
  const emergency = clean.filter((f) => f.level === 'emergency' && f.status === 'affirmed');
  const firstEmergency = emergency[0];
  if (firstEmergency) {
    const crisis = emergency.some((f) => actionOf(lexicon, f.concept) === 'crisis-line');
    return {
      level: 'emergency',
      action: crisis ? 'crisis-line' : (actionOf(lexicon, firstEmergency.concept) as TriageAction),
      concept: firstEmergency.concept,
      findings: clean,
      explanation: explain('emergency', clean),
    };
  }
  const clinical = clean.find((f) => f.level === 'clinical' && f.status === 'affirmed') ?? clean[0];
  if (clinical)
    return {
      level: 'clinical',
      action: 'nurse-triage',
      concept: clinical.concept,
      findings: clean,
      explanation: explain('clinical', clean),
    };
  return { level: 'none', action: null, concept: null, findings: clean, explanation: 'No clinical concept found.' };
}

function actionOf(lexicon: CompiledLexicon, concept: string): string {
  return lexicon.concepts.find((c) => c.concept.id === concept)?.concept.action ?? 'advise-emergency-services';
}

function explain(level: 'emergency' | 'clinical', findings: readonly TriageFinding[]): string {
  const parts = findings.map((f) => `${f.concept} "${f.words}" ${f.status}${f.cue ? ` by "${f.cue}"` : ''}`);
  const head = level === 'emergency' ? 'Emergency: an emergency concept is affirmed.' : 'Clinical, not an emergency: nurse triage.';
  return `${head} ${parts.join('; ')}.`;
}
