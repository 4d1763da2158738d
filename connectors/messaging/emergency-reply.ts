import type { TriageResult } from './triage-classify.js';
import { selectTemplate, type GovernedTemplate, type SelectedTemplate } from './template-select.js';

// The answer an emergency message gets at once, before any person has read it. Pure: which governed template
// (`messaging.emergencyReplies`, owned by clinical) and which language. Self-harm gets the crisis line; every other
// emergency, emergency services. The language is the one the patient wrote the emergency in (a Spanish message is
// answered in Spanish even when the chart says English), else the patient's preferred language.
// US numbers: 911 for emergency services; 988 Suicide & Crisis Lifeline (call or text; 988 then 2, or text AYUDA
// to 988, for Spanish): https://988lifeline.org/ and https://988lifeline.org/es/

export interface EmergencyReplies {
  readonly emergency: GovernedTemplate;
  readonly crisis: GovernedTemplate;
}

export type EmergencyReplyKind = keyof EmergencyReplies;

export const DEFAULT_EMERGENCY_REPLIES: EmergencyReplies = {
  emergency: {
    locale: 'en',
    channel: 'sms',
    subject: 'Your message needs emergency care',
    body: 'Your message may describe an emergency. Call 911 now or go to the nearest emergency department. Do not wait for a reply to this message. The on-call clinician has been alerted.',
    translations: {
      es: {
        subject: 'Su mensaje necesita atención de emergencia',
        body: 'Su mensaje puede describir una emergencia. Llame al 911 ahora o vaya a la sala de emergencias más cercana. No espere una respuesta a este mensaje. Se ha avisado al clínico de guardia.',
      },
    },
  },
  crisis: {
    locale: 'en',
    channel: 'sms',
    subject: 'You are not alone: help is available now',
    body: 'You are not alone. Call or text 988 (Suicide & Crisis Lifeline, 24/7) to talk with someone now. If you are in immediate danger, call 911. The on-call clinician has been alerted.',
    translations: {
      es: {
        subject: 'No está solo: hay ayuda ahora',
        body: 'No está solo. Llame al 988 y oprima 2, o envíe un mensaje de texto con la palabra AYUDA al 988 (Línea 988 de Prevención del Suicidio y Crisis, 24 horas) para hablar con alguien ahora. Si está en peligro inmediato, llame al 911. Se ha avisado al clínico de guardia.',
      },
    },
  },
};

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
