import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { RowGuard } from '../../connectors/ehr/rows.js';
import type { RowFacts } from '../../rules/row-facts.js';
import type { Principal as KernelPrincipal } from '../../rules/principal.js';
import type { Principal } from '../../src/auth/principal.js';

// Issue 13, item 2: rules/ is a leaf policy kernel: it imports nothing from src/ or connectors/ (its input types,
// principal and row facts, are its own), and the EHR connector's row guard is exactly the kernel's row facts. The one
// thing of the project it imports is spec/, the bottom layer of shared grammars (SMART scope syntax; issue 19), which
// itself imports nothing of the project.

const RULES = new URL('../../rules/', import.meta.url);
const SPEC = new URL('../../spec/', import.meta.url);

describe('rules/ is a leaf', () => {
  it('imports nothing outside rules/ but packages and spec/; spec/ imports nothing of the project', () => {
    const offenders: string[] = [];
    // A relative import must name a file of the folder itself or, from rules/, of spec/.
    for (const [dir, allowed] of [[RULES, /^(\.\/|\.\.\/spec\/)[^/]+$/], [SPEC, /^\.\/[^/]+$/]] as const) {
      for (const file of readdirSync(dir).filter((f) => f.endsWith('.ts'))) {
        const text = readFileSync(new URL(file, dir), 'utf8');
        for (const m of text.matchAll(/(?:import|export)[^'"]*?from\s+['"]([^'"]+)['"]/g)) {
          if (m[1]!.startsWith('.') && !allowed.test(m[1]!)) offenders.push(`${file}: ${m[1]}`);
        }
      }
    }
    expect(offenders).toEqual([]);
  });

  it('the connector row guard and the src principal are the kernel input types', () => {
    const guard: RowGuard = { tenant: 't', patientId: 'p', departments: [], sensitive: false };
    const facts: RowFacts = guard;
    const back: RowGuard = facts;
    const p: Principal = { sub: 's', tenant: 't', kind: 'user', roles: [], departments: [], mfa: false, scopes: null, grants: [] };
    const k: KernelPrincipal = p;
    expect([back, k]).toHaveLength(2);
  });
});
