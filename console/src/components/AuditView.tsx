import { useState, type FormEvent } from 'react';
import { describeError, forbiddenAt, gql, type GqlError } from '../api';
import { dateTime } from '../format';
import type { AuditEventFilter, ConsoleAuditEventsQuery, ConsoleAuditVerifyQuery } from '../gql/graphql';
import { AuditAccessQuery, AuditEventsQuery, AuditVerifyQuery } from '../operations';
import { useQuery } from '../useQuery';
import { Errors, Locked } from './Badges';

type Event = NonNullable<NonNullable<NonNullable<ConsoleAuditEventsQuery['auditEvents']>['edges']>[number]['node']>;

const CATEGORIES = [
  '',
  'phi-read',
  'change',
  'emergency',
  'auth',
  'access',
  'policy',
  'integration',
  'ai-behavior',
  'billing-automation',
  'messaging',
  'audit',
];
const PAGE = 50;

/** datetime-local (the browser's local time) to ISO-8601 UTC; empty stays unset. */
const toIso = (local: string) => (local ? new Date(local).toISOString() : null);

export function AuditView({ token }: { token: string }) {
  // Asked first, without trying: a role without the audit data class never requests a single event.
  const access = useQuery(AuditAccessQuery, {}, token);
  const explanation = access.result?.data?.explainField;
  if (access.loading) return <p role="status">Loading…</p>;
  if (explanation && explanation.decision !== 'ALLOW') {
    return <><h1>Audit</h1><Locked title="The audit log" reason={explanation.message} testId="audit-locked" /></>;
  }
  return <AuditLog token={token} />;
}

function AuditLog({ token }: { token: string }) {
  const [form, setForm] = useState({ actor: '', patientId: '', category: '', from: '', to: '' });
  const [events, setEvents] = useState<Event[]>([]);
  const [cursor, setCursor] = useState<string | null>(null);
  const [more, setMore] = useState(false);
  const [searched, setSearched] = useState(false);
  const [errors, setErrors] = useState<readonly GqlError[]>([]);
  const [denied, setDenied] = useState<GqlError | null>(null);
  const [verify, setVerify] = useState<ConsoleAuditVerifyQuery['auditVerify'] | undefined>(undefined);
  const [busy, setBusy] = useState(false);

  const filter = (): AuditEventFilter => ({
    actor: form.actor.trim() || null,
    patientId: form.patientId.trim() || null,
    category: form.category || null,
    from: toIso(form.from),
    to: toIso(form.to),
  });

  const load = async (after: string | null) => {
    setBusy(true);
    const r = await gql(AuditEventsQuery, { filter: filter(), first: PAGE, after }, token);
    setBusy(false);
    const forbidden = forbiddenAt(r.errors, 'auditEvents');
    if (forbidden) return setDenied(forbidden);
    setErrors(r.errors);
    const page = r.data?.auditEvents;
    const nodes = (page?.edges ?? []).flatMap((e) => (e.node ? [e.node] : []));
    setEvents((prev) => (after ? [...prev, ...nodes] : nodes));
    setCursor(page?.pageInfo?.endCursor ?? null);
    setMore(page?.pageInfo?.hasNextPage ?? false);
    setSearched(true);
  };

  const search = (e: FormEvent) => {
    e.preventDefault();
    void load(null);
  };

  const runVerify = async () => {
    const r = await gql(AuditVerifyQuery, {}, token);
    const forbidden = forbiddenAt(r.errors, 'auditVerify');
    if (forbidden) return setDenied(forbidden);
    setErrors(r.errors);
    setVerify(r.data?.auditVerify ?? null);
  };

  if (denied) return <><h1>Audit</h1><Locked title="The audit log" reason={describeError(denied)} testId="audit-locked" /></>;
  const set = (k: keyof typeof form) => (e: { target: { value: string } }) => setForm({ ...form, [k]: e.target.value });

  return (
    <>
      <h1>Audit</h1>
      <section aria-labelledby="verify-heading" className="card">
        <h2 id="verify-heading">Integrity</h2>
        <div className="action-row">
          <button type="button" className="secondary" onClick={() => void runVerify()}>
            Verify the log
          </button>
          {verify && (
            <p role="status" data-testid="audit-verify" className={verify.ok ? 'can' : 'error'}>
              {verify.ok
                ? `Verified: ${verify.records} records (seq ${verify.firstSeq}–${verify.headSeq}), ${verify.checkpointsVerified ?? 0} ` +
                  `signed checkpoints.`
                : `Problem ${verify.problem} at record ${verify.seq}: ${verify.message}`}
            </p>
          )}
        </div>
        <p className="muted small">
          Export (NDJSON or FHIR AuditEvent) is an operator task: <code>npx clearance audit export</code>. The API has no export query.
        </p>
      </section>
      <form onSubmit={search} className="filters" aria-label="Filter audit events">
        <label>
          Actor
          <input value={form.actor} onChange={set('actor')} placeholder="sub" />
        </label>
        <label>
          Patient
          <input value={form.patientId} onChange={set('patientId')} placeholder="patient id" />
        </label>
        <label>
          Category
          <select value={form.category} onChange={set('category')}>
            {CATEGORIES.map((c) => (
              <option key={c} value={c}>
                {c || 'any'}
              </option>
            ))}
          </select>
        </label>
        <label>
          From
          <input type="datetime-local" value={form.from} onChange={set('from')} />
        </label>
        <label>
          To
          <input type="datetime-local" value={form.to} onChange={set('to')} />
        </label>
        <button type="submit" disabled={busy}>
          Search
        </button>
      </form>
      <Errors errors={errors.map((e) => ({ message: describeError(e) }))} />
      {searched && (
        <p role="status" className="muted">
          {events.length} events{more ? ' (more available)' : ''}.
        </p>
      )}
      {events.length > 0 && (
        <table data-testid="audit-events">
          <caption className="visually-hidden">Audit events</caption>
          <thead>
            <tr>
              <th scope="col">Time</th>
              <th scope="col">Action</th>
              <th scope="col">Actor</th>
              <th scope="col">Subject</th>
              <th scope="col">Detail</th>
            </tr>
          </thead>
          <tbody>
            {events.map((ev) => (
              <tr key={ev.id}>
                <td>
                  <time dateTime={ev.at}>{dateTime(ev.at)}</time>
                </td>
                <td>
                  <span className="mono">{ev.action}</span>
                  {ev.outcome === 'FAILURE' && <span className="badge risk-high"> failure</span>}
                </td>
                <td>
                  {ev.actor ? (
                    `${ev.actor.sub}${ev.actor.roles?.length ? ` (${ev.actor.roles.join(', ')})` : ''}`
                  ) : (
                    <span className="muted">system</span>
                  )}
                </td>
                <td className="mono">{ev.patientId ? `Patient/${ev.patientId}` : (ev.target ?? '')}</td>
                <td>
                  {ev.status && (
                    <div>
                      {ev.status}
                      {ev.environment ? ` in ${ev.environment}` : ''}
                    </div>
                  )}
                  {ev.dataClasses && <div className="small">{ev.dataClasses.join(', ')}</div>}
                  {ev.reason && <div className="small">{ev.reason}</div>}
                  {ev.changeId && (
                    <a className="small" href={`#/change/${encodeURIComponent(ev.changeId)}`}>
                      change
                    </a>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {more && (
        <button type="button" className="secondary" disabled={busy} onClick={() => void load(cursor)}>
          Load more
        </button>
      )}
    </>
  );
}
