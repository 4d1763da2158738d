// Where a patient message goes, from the FHIR Patient.telecom the EHR reader returned. Pure. Email: the first
// `email` contact (a `home` one preferred). SMS: an `sms` contact, else a `mobile` phone, else any phone.
// Contacts whose period ended (`use: old`) are never used.

export interface Contact {
  readonly system: string | null;
  readonly value: string | null;
  readonly use: string | null;
}

export type SendChannel = 'email' | 'sms';

export function recipientFor(telecom: readonly Contact[], channel: SendChannel): string | null {
  const usable = telecom.filter((c) => c.value && c.value.trim() !== '' && c.use !== 'old');
  const pick = (...tests: ((c: Contact) => boolean)[]) => tests.map((t) => usable.find(t)).find(Boolean)?.value?.trim() ?? null;
  if (channel === 'email') return pick((c) => c.system === 'email' && c.use === 'home', (c) => c.system === 'email');
  return pick((c) => c.system === 'sms', (c) => c.system === 'phone' && c.use === 'mobile', (c) => c.system === 'phone');
}
