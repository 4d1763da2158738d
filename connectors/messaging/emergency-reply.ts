import type { TriageResult } from './triage-classify.js';
import { selectTemplate, type GovernedTemplate, type SelectedTemplate } from './template-select.js';

// The answer an emergency message gets at once, before any person has read it. Pure: which governed template
// (`messaging.emergencyReplies`, owned by clinical) and which language. Self-harm gets the crisis line; every other
// emergency, emergency services. The language is the one the patient wrote the emergency in (a Spanish message is
// answered in Spanish even when the chart says English), else the patient's preferred language.
// The shipped default replies: src/governance/default-emergency-replies.ts.

export interface EmergencyReplies {
  readonly emergency: GovernedTemplate;
  readonly crisis: GovernedTemplate;
}

type EmergencyReplyKind = keyof EmergencyReplies;

export interface ChosenReply {
  readonly kind: EmergencyReplyKind;
  readonly template: SelectedTemplate;
}

export function emergencyReplyFor(triage: TriageResult, replies: EmergencyReplies, patientLanguage: string | null): ChosenReply | null {
  if (triage.level !== 'emergency') return null;
  const kind: EmergencyReplyKind = triage.action === 'crisis-line' ? 'crisis' : 'emergency';
  const written = triage.findings.find((f) => f.level === 'emergency' && f.status === 'affirmed' && f.language !== 'rule')?.language;
  const template = selectTemplate(replies as unknown as Record<string, GovernedTemplate>, kind, written ?? patientLanguage);
  return template ? { kind, template } : null;
}
