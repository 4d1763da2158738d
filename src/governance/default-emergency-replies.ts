import type { EmergencyRepliesValue } from './setting-values.js';

// The shipped default of the governed setting `messaging.emergencyReplies` (chosen from by
// connectors/messaging/emergency-reply.ts). US numbers: 911 for emergency services; 988 Suicide & Crisis Lifeline
// (call or text; 988 then 2, or text AYUDA to 988, for Spanish): https://988lifeline.org/ and
// https://988lifeline.org/es/

export const DEFAULT_EMERGENCY_REPLIES: EmergencyRepliesValue = {
  emergency: {
    locale: 'en',
    channel: 'sms',
    subject: 'Your message needs emergency care',
    body: 'Your message may describe an emergency. Call 911 now or go to the nearest emergency department. Do not wait for a reply to ' +
      'this message. The on-call clinician has been alerted.',
    translations: {
      es: {
        subject: 'Su mensaje necesita atención de emergencia',
        body: 'Su mensaje puede describir una emergencia. Llame al 911 ahora o vaya a la sala de emergencias más cercana. No espere una ' +
          'respuesta a este mensaje. Se ha avisado al clínico de guardia.',
      },
    },
  },
  crisis: {
    locale: 'en',
    channel: 'sms',
    subject: 'You are not alone: help is available now',
    body: 'You are not alone. Call or text 988 (Suicide & Crisis Lifeline, 24/7) to talk with someone now. If you are in immediate ' +
      'danger, call 911. The on-call clinician has been alerted.',
    translations: {
      es: {
        subject: 'No está solo: hay ayuda ahora',
        body: 'No está solo. Llame al 988 y oprima 2, o envíe un mensaje de texto con la palabra AYUDA al 988 (Línea 988 de Prevención ' +
          'del Suicidio y Crisis, 24 horas) para hablar con alguien ahora. Si está en peligro inmediato, llame al 911. Se ha avisado al ' +
          'clínico de guardia.',
      },
    },
  },
};
