// Small formatting helpers shared by the views.

const UNITS: [Intl.RelativeTimeFormatUnit, number][] = [
  ['day', 86_400_000],
  ['hour', 3_600_000],
  ['minute', 60_000],
];

const relative = new Intl.RelativeTimeFormat('en', { numeric: 'auto' });

/** "5 minutes ago", "in 3 days". */
export function fromNow(iso: string, now = Date.now()): string {
  const delta = Date.parse(iso) - now;
  for (const [unit, ms] of UNITS) if (Math.abs(delta) >= ms) return relative.format(Math.round(delta / ms), unit);
  return relative.format(Math.round(delta / 1000), 'second');
}

export function dateTime(iso: string): string {
  return new Date(iso).toLocaleString('en-GB', { dateStyle: 'medium', timeStyle: 'short' });
}

/** Enum values for people: PENDING_REVIEW -> "Pending review". */
export function label(value: string): string {
  const s = value.toLowerCase().replace(/_/g, ' ').replace(/^ai\b/, 'AI');
  return s.charAt(0).toUpperCase() + s.slice(1);
}

export function json(value: unknown): string {
  return value === undefined ? '(none)' : JSON.stringify(value);
}
