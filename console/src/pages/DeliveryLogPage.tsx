import { useState } from 'react';
import { Errors, Locked } from '../components/Badges';
import { dateTime, json } from '../format';
import { useQuery } from '../useQuery';
import { DeliveryLogAccessQuery, DeliveryLogQuery } from './page-operations';

// The webhook and notification delivery log: the audit events the approver notifier writes for every attempt
// (notification.delivered, notification.retry, notification.failed). Read from the audit log, so it needs the
// audit data class; a role without it sees the API's reason, and no event is requested.

const ACTIONS = [
  { action: 'notification.delivered', text: 'Delivered' },
  { action: 'notification.retry', text: 'Retrying' },
  { action: 'notification.failed', text: 'Failed' },
] as const;

export function DeliveryLogPage({ token }: { token: string }) {
  const access = useQuery(DeliveryLogAccessQuery, {}, token);
  const explanation = access.result?.data?.explainField;
  if (access.loading) return <p role="status">Loading…</p>;
  if (explanation && explanation.decision !== 'ALLOW') {
    return <><h1>Delivery log</h1><Locked title="The delivery log" reason={explanation.message} testId="deliveries-locked" /></>;
  }
  return <Deliveries token={token} />;
}

function Deliveries({ token }: { token: string }) {
  const [action, setAction] = useState<string>(ACTIONS[0].action);
  const q = useQuery(DeliveryLogQuery, { action, first: 100, after: null }, token);
  const events = (q.result?.data?.auditEvents?.edges ?? []).flatMap((e) => (e.node ? [e.node] : []));
  return (
    <>
      <h1>Delivery log</h1>
      <p className="muted">Webhook and notification deliveries to approvers, newest first, from the audit log.</p>
      <div className="toolbar" role="group" aria-label="Outcome">
        {ACTIONS.map((a) => (
          <button
            key={a.action}
            type="button"
            className={a.action === action ? '' : 'secondary'}
            aria-pressed={a.action === action}
            onClick={() => setAction(a.action)}
          >
            {a.text}
          </button>
        ))}
      </div>
      {q.loading && <p role="status">Loading…</p>}
      {q.result && <Errors errors={q.result.errors} />}
      {!q.loading && events.length === 0 && (
        <p className="muted" data-testid="deliveries-empty">
          No deliveries with this outcome.
        </p>
      )}
      {events.length > 0 && (
        <div className="table-wrap">
          <table data-testid="deliveries">
            <thead>
              <tr>
                <th scope="col">When</th>
                <th scope="col">Event</th>
                <th scope="col">Change</th>
                <th scope="col">Status</th>
                <th scope="col">Detail</th>
              </tr>
            </thead>
            <tbody>
              {events.map((e) => (
                <tr key={e.id}>
                  <td>{dateTime(e.at)}</td>
                  <td className="mono">{e.target ?? ''}</td>
                  <td>{e.changeId && <a href={`#/change/${encodeURIComponent(e.changeId)}`}>{e.changeId.slice(0, 8)}</a>}</td>
                  <td>{e.status ?? e.outcome}</td>
                  <td className="mono">{e.detail === null || e.detail === undefined ? '' : json(e.detail)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </>
  );
}
