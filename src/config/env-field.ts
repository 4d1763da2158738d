import { z } from 'zod';

// One environment variable as a zod schema: blank or unset becomes undefined (the caller applies the default), any
// other value goes through `parse`, whose problems become zod issues. parseConfig parses all variables in one
// z.object, so zod collects every variable's problems in a single pass.

export type FieldResult<T> = { ok: true; value: T } | { ok: false; problems: string[] };

export const ok = <T>(value: T): FieldResult<T> => ({ ok: true, value });
export const fail = (...problems: string[]): FieldResult<never> => ({ ok: false, problems });

export function envField<T>(parse: (raw: string) => FieldResult<T>) {
  return z
    .string()
    .optional()
    .transform((raw, ctx): T | undefined => {
      if (raw === undefined || raw.trim() === '') return undefined;
      const result = parse(raw.trim());
      if (result.ok) return result.value;
      for (const message of result.problems) ctx.addIssue({ code: 'custom', message });
      return z.NEVER;
    });
}
