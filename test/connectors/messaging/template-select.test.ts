import { describe, expect, it } from 'vitest';
import { recipientFor } from '../../../connectors/messaging/recipient.js';
import { selectTemplate, type GovernedTemplate } from '../../../connectors/messaging/template-select.js';

const templates: Record<string, GovernedTemplate> = {
  reminder: {
    locale: 'en',
    channel: 'sms',
    subject: 'Reminder',
    body: 'On {{date}}',
    translations: { es: { body: 'El {{date}}' }, 'zh-TW': { body: '{{date}} 預約' } },
  },
};

describe('selectTemplate', () => {
  it.each([
    [null, 'en', 'On {{date}}'],
    ['en-US', 'en', 'On {{date}}'],
    ['es', 'es', 'El {{date}}'],
    ['es-MX', 'es', 'El {{date}}'],
    ['zh', 'zh-TW', '{{date}} 預約'],
    ['ru-RU', 'en', 'On {{date}}'],
  ])('patient language %s -> %s', (language, locale, body) => {
    expect(selectTemplate(templates, 'reminder', language)).toMatchObject({ locale, body, subject: 'Reminder', channel: 'sms' });
  });

  it('knows no template outside the setting (not even inherited object keys)', () => {
    expect(selectTemplate(templates, 'nope', null)).toBeNull();
    expect(selectTemplate(templates, 'constructor', null)).toBeNull();
  });
});

describe('recipientFor', () => {
  const telecom = [
    { system: 'phone', value: '555-1', use: 'home' },
    { system: 'email', value: 'old@x.example', use: 'old' },
    { system: 'email', value: 'work@x.example', use: 'work' },
    { system: 'phone', value: '555-2', use: 'mobile' },
  ];
  it('picks a current email, and a mobile phone for SMS', () => {
    expect(recipientFor(telecom, 'email')).toBe('work@x.example');
    expect(recipientFor(telecom, 'sms')).toBe('555-2');
    expect(recipientFor([], 'sms')).toBeNull();
  });
});
