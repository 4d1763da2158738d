// Picks the text of a governed message template (`messaging.templates`) for one patient. Pure. The patient's
// preferred language chooses a translation: the exact locale (`es-US`), else its language (`es`), else a
// translation of the same language under another region; without one the template's own locale is used.

export type TemplateChannel = 'sms' | 'email' | 'portal' | 'voice';

export interface GovernedTemplate {
  readonly locale: string;
  readonly channel: TemplateChannel;
  readonly subject?: string;
  readonly body: string;
  readonly translations?: Readonly<Record<string, { readonly subject?: string; readonly body: string }>>;
}

export interface SelectedTemplate {
  readonly locale: string;
  readonly subject: string | null;
  readonly body: string;
  /** The template's default channel. */
  readonly channel: TemplateChannel;
}

const languageOf = (locale: string) => locale.toLowerCase().split(/[-_]/)[0] ?? '';

export function selectTemplate(
  templates: Readonly<Record<string, GovernedTemplate>>,
  templateId: string,
  patientLanguage: string | null,
): SelectedTemplate | null {
  const t = Object.hasOwn(templates, templateId) ? templates[templateId] : undefined;
  if (!t) return null;
  const base: SelectedTemplate = { locale: t.locale, subject: t.subject ?? null, body: t.body, channel: t.channel };
  if (!patientLanguage || languageOf(patientLanguage) === languageOf(t.locale)) return base;
  const entries = Object.entries(t.translations ?? {});
  const found =
    entries.find(([l]) => l.toLowerCase() === patientLanguage.toLowerCase()) ??
    entries.find(([l]) => l.toLowerCase() === languageOf(patientLanguage)) ??
    entries.find(([l]) => languageOf(l) === languageOf(patientLanguage));
  return found ? { locale: found[0], subject: found[1].subject ?? base.subject, body: found[1].body, channel: t.channel } : base;
}
