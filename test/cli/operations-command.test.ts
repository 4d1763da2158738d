import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli/main.js';
import type { OperationsCheckReport } from '../../src/cli/operations-report.js';
import { startHarness } from '../support/harness.js';

// Issue 14, item 5: `clearance operations check` tells a frontend team, before release, which fields of its
// operations each role would be denied and why: the same answer the gateway's explainField gives, and the same
// outcome the gateway has when the operation runs.

const FIXTURES = join(import.meta.dirname, 'fixtures/operations');

async function cli(...args: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await runCli(['operations', 'check', ...args, '--cwd', FIXTURES], {
    env: {},
    stdout: (t) => void (out += t),
    stderr: (t) => void (err += t),
  });
  return { code, out, err };
}

async function json(...args: string[]): Promise<OperationsCheckReport> {
  const r = await cli(...args, '--json');
  return JSON.parse(r.out) as OperationsCheckReport;
}

describe('clearance operations check', () => {
  it('valid operations: exit 0; per role the denied fields, with the rule and how to get access; fragments in other files', async () => {
    const r = await cli('ok/**/*.graphql', '--role', 'clinician', '--role', 'nurse', '--dept', 'cardiology');
    expect(r.code).toBe(0);
    expect(r.out).toContain('ok/patient-chart.graphql: query PatientChart');
    expect(r.out).toMatch(/nurse: 4 field\(s\) denied\n {4}DENY patient\.conditions \(Patient\.conditions\) policy:read:clinical \[role\]/);
    const report = await json(
      'ok/**/*.graphql',
      '--role',
      'clinician',
      '--role',
      'nurse',
      '--role',
      'billing-manager',
      '--dept',
      'cardiology',
    );
    expect(report.errors).toEqual([]);
    expect(report.operations.map((o) => `${o.file} ${o.name}`)).toEqual(['ok/me.graphql WhoAmI', 'ok/patient-chart.graphql PatientChart']);
    const chart = report.operations[1]!;
    const byRole = Object.fromEntries(chart.roles.map((r) => [r.role, r]));
    expect(byRole.clinician!.denied).toEqual([]);
    // Fields through the fragment are checked too (mrn, department come from fragments/patient-banner.graphql).
    expect(byRole.clinician!.allowed).toBe(10);
    expect(byRole.clinician!.perRow).toEqual(expect.arrayContaining(['patient.notes', 'patient.conditions']));
    expect(byRole.nurse!.denied.map((d) => d.path)).toEqual([
      'patient.conditions',
      'patient.conditions.display',
      'patient.notes',
      'patient.notes.id',
    ]);
    expect(byRole.nurse!.denied[2]!.explanation).toMatchObject({
      decision: 'DENY',
      rule: 'policy:read:notes',
      failedScope: 'role',
      ownerRole: 'clinical-admin',
    });
    expect(byRole['billing-manager']!.denied.map((d) => d.field)).toContain('Patient.notes');
    // Every role by default.
    const all = await json('ok/me.graphql');
    expect(all.operations[0]!.roles.length).toBeGreaterThan(10);
  });

  it('the verdicts are the gateway\'s: explainField over HTTP agrees for every role', async () => {
    const h = await startHarness();
    try {
      const report = await json('ok/patient-chart.graphql', 'ok/fragments/patient-banner.graphql');
      const chart = report.operations[0]!;
      for (const r of chart.roles) {
        const token = await h.token({ roles: [r.role], mfa: true });
        for (const field of ['Patient.notes', 'Patient.conditions', 'Patient.mrn', 'Patient.name']) {
          const [type, name] = field.split('.');
          const live = await h.gql<{ explainField: { decision: string; rule: string } }>(
            token,
            'query($t: String!, $f: String!) { explainField(type: $t, field: $f) { decision rule } }',
            { t: type, f: name },
          );
          const offline = r.denied.find((d) => d.field === field);
          expect(live.body.data?.explainField.decision, `${r.role} ${field}`).toBe(offline ? 'DENY' : 'ALLOW');
          if (offline) expect(live.body.data?.explainField.rule).toBe(offline.explanation.rule);
        }
      }
    } finally {
      await h.stop();
    }
  });

  it('invalid documents: exit 1 with file and line for a syntax error and an unknown field', async () => {
    const r = await cli('broken/*.graphql', '--role', 'nurse');
    expect(r.code).toBe(1);
    expect(r.out).toContain('error: broken/syntax.graphql:4: Syntax Error');
    expect(r.out).toContain('error: broken/typo.graphql:5: Cannot query field "nmae" on type "Patient"');
    const report = await json('broken/typo.graphql', '--role', 'nurse');
    expect(report.errors).toEqual([{ file: 'broken/typo.graphql', line: 5, message: expect.stringContaining('nmae') }]);
  });

  it('--fail-on-deny fails the build when a listed role would be denied a field; exit 0 when none is', async () => {
    expect((await cli('ok/**/*.graphql', '--role', 'nurse', '--fail-on-deny')).code).toBe(1);
    expect((await cli('ok/**/*.graphql', '--role', 'clinician', '--dept', 'cardiology', '--fail-on-deny')).code).toBe(0);
  });

  it('bad arguments exit 2; no matching file exits 1', async () => {
    expect((await cli('ok/*.graphql', '--role', 'wizard')).code).toBe(2);
    expect((await cli('--role', 'nurse')).code).toBe(2);
    expect((await cli('ok/*.graphql', '--bogus')).code).toBe(2);
    const none = await cli('nowhere/**/*.graphql');
    expect(none.code).toBe(1);
    expect(none.err).toContain('no file matches');
  });
});
