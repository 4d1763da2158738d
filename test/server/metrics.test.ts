import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, type Harness } from '../support/harness.js';
import { DENNIS, FRANKIE } from '../connectors/ehr/helpers.js';
import { DEPARTMENT_CODES } from '../../connectors/ehr/seed.js';
import { APPROVE, SET_WRITE_BACK, actors, ok, type Change, type ChangeResult } from '../api/governance-operations.js';

// Issue 17: each metric family at /metrics moves when its action happens (scrape, act, scrape again). Embedded
// mode serves /metrics to loopback clients without a token (test/server/metrics-auth.test.ts covers the guards).

let h: Harness;
let base: string;

async function scrape(): Promise<string> {
  const r = await fetch(`${base}/metrics`);
  expect(r.status).toBe(200);
  expect(r.headers.get('content-type')).toContain('text/plain');
  return r.text();
}

/** The value of one sample line (`name{labels} value`), 0 when absent. */
function sample(text: string, name: string, labels: Record<string, string> = {}): number {
  const want = Object.entries(labels).map(([k, v]) => `${k}="${v}"`);
  for (const line of text.split('\n')) {
    if (!line.startsWith(`${name}{`) && !line.startsWith(`${name} `)) continue;
    const labelText = line.slice(name.length).split(' ')[0]!;
    if (want.every((w) => labelText.includes(w))) return Number(line.slice(line.lastIndexOf(' ') + 1));
  }
  return 0;
}

beforeAll(async () => {
  h = await startHarness({ env: { RATE_LIMIT_PER_PRINCIPAL: '3', RATE_LIMIT_WINDOW_SEC: '3600' } });
  base = h.url.replace(/\/graphql$/, '');
});
afterAll(() => h.stop());

describe('/metrics families', () => {
  it('an operation is labelled by its type and root fields, never by a name or alias the client chose (metrics, request log)', async () => {
    const t = await h.token({ roles: ['clinician'], departments: ['cardiology'], sub: 'metrics-names' });
    // Every place a client puts a name of its own: the operation's name, aliases, fragment names, unknown fields.
    const chosen = ['Dennis_Durgan_SSN_999_90_8884', 'PID_0ac13d55_d566', 'Frag_HIV_positive', 'alias_SSN_123'];
    const documents = [
      `query ${chosen[0]} { me { sub } }`,
      `query ${chosen[1]} { ${chosen[3]}: me { sub } }`,
      `query { ...${chosen[2]} } fragment ${chosen[2]} on Query { me { sub } }`,
      `mutation ${chosen[0]} { approveChange(id: "x") { id } }`,
      `{ ${chosen[1]} }`,
    ];
    const from = h.logLines.length;
    for (const d of documents) await h.gql(t, d);
    const lines = h.logLines.slice(from);
    const text = await scrape();
    for (const name of chosen) {
      expect(text).not.toContain(name);
      expect(lines.join('\n')).not.toContain(name);
    }
    expect(sample(text, 'clearance_requests_total', { operation: 'query:me', outcome: 'OK' })).toBeGreaterThanOrEqual(3);
    expect(sample(text, 'clearance_requests_total', { operation: 'mutation:approveChange' })).toBeGreaterThanOrEqual(1);
    // A document that fails validation never had an operation: its unknown root field names nothing.
    const unvalidated = { operation: '(none)', outcome: 'BAD_USER_INPUT' };
    expect(sample(text, 'clearance_requests_total', unvalidated)).toBeGreaterThanOrEqual(1);
    expect(lines.some((l) => l.includes('"operation":"query:me"'))).toBe(true);
  });

  it('requests by operation and outcome, with a latency histogram', async () => {
    const t = await h.token({ roles: ['nurse'], departments: ['cardiology'], sub: 'metrics-req' });
    const before = await scrape();
    expect((await h.gql(t, 'query WhoAmI { me { sub } }')).status).toBe(200);
    expect((await h.gql(null, 'query WhoAmI { me { sub } }')).status).toBe(401);
    const after = await scrape();
    const ok1 = (s: string) => sample(s, 'clearance_requests_total', { operation: 'query:me', outcome: 'OK' });
    expect(ok1(after) - ok1(before)).toBe(1);
    expect(sample(after, 'clearance_requests_total', { operation: '(none)', outcome: 'UNAUTHENTICATED' })).toBeGreaterThanOrEqual(1);
    const count = (s: string) => sample(s, 'clearance_request_duration_seconds_count', { operation: 'query:me' });
    expect(count(after) - count(before)).toBe(1);
  });

  it('decisions by permission and outcome, FHIR calls by tenant and outcome, audit append latency, circuit state', async () => {
    const clinician = await h.token({ roles: ['clinician'], departments: ['cardiology'], sub: 'metrics-dec' });
    const billing = await h.token({ roles: ['billing'], sub: 'metrics-bill' });
    const before = await scrape();
    const query = 'query Chart { patients(first: 5) { edges { node { id name conditions { code } } } } }';
    expect((await h.gql(clinician, query)).status).toBe(200);
    await h.gql(billing, query);
    const after = await scrape();
    const moved = (name: string, labels: Record<string, string>) => sample(after, name, labels) - sample(before, name, labels);
    const decisionLines = after.split('\n').filter((l) => l.startsWith('clearance_decisions_total{'));
    expect(decisionLines.some((l) => /outcome="(plain|sensitive|masked|unmasked|allow)"/.test(l))).toBe(true);
    expect(decisionLines.some((l) => l.includes('outcome="deny"'))).toBe(true);
    // Read into the counter on each scrape: one more request moves the demographics count by its row classes, once.
    const demographics = { permission: 'read:demographics/row', outcome: 'plain' };
    expect(moved('clearance_decisions_total', demographics)).toBeGreaterThan(0);
    await h.gql(clinician, 'query One { patients(first: 1) { edges { node { id } } } }');
    const third = await scrape();
    expect(sample(third, 'clearance_decisions_total', demographics) - sample(after, 'clearance_decisions_total', demographics)).toBe(1);
    // Labels are rule names and outcomes: no patient id, name or value.
    for (const l of decisionLines)
      expect(l).toMatch(/^clearance_decisions_total\{permission="[a-z]+(:[a-z.\-/:]+)?",outcome="[a-z]+"\} \d+$/);
    expect(moved('clearance_fhir_calls_total', { tenant: 'acme', outcome: 'OK' })).toBeGreaterThan(0);
    expect(moved('clearance_audit_append_duration_seconds_count', {})).toBeGreaterThan(0);
    expect(sample(after, 'clearance_fhir_circuit_state', { tenant: 'acme', state: 'CLOSED' })).toBe(1);
    expect(sample(after, 'clearance_fhir_circuit_state', { tenant: 'acme', state: 'OPEN' })).toBe(0);
  });

  // Rows a list withholds (a sensitive diagnosis without the grant) are denials too: one per patient withheld.
  it('a row withheld from a list counts as a denial of its row rule', async () => {
    const t = await h.token({ roles: ['clinician'], departments: [...DEPARTMENT_CODES], sub: 'metrics-withheld' });
    const deny = (s: string) => sample(s, 'clearance_decisions_total', { permission: 'read:clinical/row/sensitive', outcome: 'deny' });
    const before = await scrape();
    const r = await h.gql(t, 'query($id: ID!) { patient(id: $id) { conditions { code } } }', { id: FRANKIE });
    expect(r.body.errors?.[0]?.extensions?.withheld).toBe(true);
    const after = await scrape();
    expect(deny(after) - deny(before)).toBe(1);
    await h.gql(t, 'query($id: ID!) { patient(id: $id) { conditions { code } } }', { id: DENNIS });
    expect(deny(await scrape()) - deny(after)).toBe(0);
  });

  it('approval queue depth and age by risk; outbox lag once the approved change is applied', async () => {
    const t = await actors(h, {
      eng1: { roles: ['integration-engineer'], mfa: true },
      eng2: { roles: ['integration-engineer'], mfa: true },
    });
    const before = await scrape();
    const r = ok(
      await h.gql<{ setWriteBack: ChangeResult }>(t.eng1, SET_WRITE_BACK, {
        connectorId: 'ehr',
        environment: 'STAGING',
        enabled: true,
        reason: 'metrics',
      }),
    ).setWriteBack;
    expect(r.changeRequest.risk).toBe('HIGH');
    const pending = await scrape();
    expect(
      sample(pending, 'clearance_approval_queue_depth', { risk: 'HIGH' }) -
        sample(before, 'clearance_approval_queue_depth', { risk: 'HIGH' }),
    ).toBe(1);
    expect(sample(pending, 'clearance_approval_queue_oldest_seconds', { risk: 'HIGH' })).toBeGreaterThanOrEqual(0);
    const done = ok(await h.gql<{ approveChange: Change }>(t.eng2, APPROVE, { id: r.changeRequest.id })).approveChange;
    expect(done.status).toBe('APPLIED');
    const after = await scrape();
    expect(sample(after, 'clearance_approval_queue_depth', { risk: 'HIGH' })).toBe(
      sample(before, 'clearance_approval_queue_depth', { risk: 'HIGH' }),
    );
    expect(sample(after, 'clearance_outbox_lag_seconds_count') - sample(before, 'clearance_outbox_lag_seconds_count')).toBe(1);
  });

  it('rate-limit refusals', async () => {
    const t = await h.token({ roles: ['nurse'], departments: ['cardiology'], sub: 'metrics-rl' });
    const before = sample(await scrape(), 'clearance_rate_limited_total', { scope: 'principal' });
    const statuses: number[] = [];
    for (let i = 0; i < 5; i++) statuses.push((await h.gql(t, '{ me { sub } }')).status);
    expect(statuses).toContain(429);
    const refused = statuses.filter((s) => s === 429).length;
    expect(sample(await scrape(), 'clearance_rate_limited_total', { scope: 'principal' }) - before).toBe(refused);
  });

  it('no audit archive gauge without an archive (embedded default)', async () => {
    expect(await scrape()).not.toContain('clearance_audit_archive_pending_records');
  });
});
