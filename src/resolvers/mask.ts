// Identifiers are masked to their last four characters for callers without the identifiers permission
// (the `identifiers` grant of rules/default-policy.json): enough to confirm a patient at the front desk, not enough to reuse.
export function maskIdentifier(value: string | null): string | null {
  if (value === null) return null;
  const keep = value.slice(-4);
  return `${'*'.repeat(Math.max(value.length - 4, 4))}${keep}`;
}
