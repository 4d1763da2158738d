// A clinical change (a medication proposal) carries no free text of its own: the gateway refuses an approval comment
// on one and takes a rejection only in these words (src/governance/transitions.ts CLINICAL_REJECTION_REASONS; a test
// holds the two lists equal), because whatever is written on a change reaches configuration readers and the audit log.
export const CLINICAL_REJECTION_REASONS = [
  'not indicated',
  'wrong drug',
  'wrong dose',
  'duplicate',
  'contraindicated',
  'patient declined',
  'other',
] as const;
