// The shape of the triage lexicon: governed data (`messaging.triageLexicon`, owned by clinical), so a medical director
// changes what counts as an emergency through an approved change, never through a deploy. The shipped default is
// src/governance/triage-default-lexicon.ts. Term syntax: see triage-match.ts.

export const TRIAGE_LANGUAGES = ['en', 'es'] as const;
export type TriageLanguage = (typeof TRIAGE_LANGUAGES)[number];

/** What the patient is told at once: emergency services, or for self-harm the crisis line as well. */
export type TriageAction = 'advise-emergency-services' | 'crisis-line' | 'nurse-triage';

export interface TriageConcept {
  /** kebab-case: `chest-pain`, `self-harm`. */
  readonly id: string;
  /** `emergency` pages on-call; `clinical` goes to nurse triage. */
  readonly level: 'emergency' | 'clinical';
  readonly action: TriageAction;
  /** Terms per language; a message is matched against every language (patients mix them). */
  readonly terms: Readonly<Partial<Record<TriageLanguage, readonly string[]>>>;
}

interface NegationCues {
  /** Before the concept: "no", "not", "denies", "ya no", "sin". */
  readonly pre: readonly string[];
  /** After the concept: "is gone", "went away", "se me quito". */
  readonly post: readonly string[];
  /** Before or after: the concept is in the past or in the family ("years ago", "history of", "hace anos"). */
  readonly historical: readonly string[];
  /** Look like a cue but are not: "not sure", "no better", "won't stop", "no se me quita". They mask cues. */
  readonly pseudo: readonly string[];
  /** End a cue's reach: "but", "and", "pero", "y". Clause punctuation always does. */
  readonly terminators: readonly string[];
}

export interface TriageLexicon {
  /** Which published reference the concepts were reviewed against (README: Triage). */
  readonly reference: string;
  readonly concepts: readonly TriageConcept[];
  readonly negation: Readonly<Record<TriageLanguage, NegationCues>>;
  /** Phrases that contain a concept's words and are not it ("stroke of luck", "suicide prevention month"). */
  readonly exclusions: readonly string[];
  /** Words a cue reaches over: before (pre) and after (post, historical) the concept. */
  readonly window: { readonly pre: number; readonly post: number };
  /** Misspelling (squeezed: repeated letters collapsed) -> correct spelling. */
  readonly misspellings: Readonly<Record<string, string>>;
  /** Real words never corrected as typos of a lexicon word ("cooking" is not "choking"). */
  readonly neverCorrect: readonly string[];
}
