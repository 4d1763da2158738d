import { useState } from 'react';
import { describeError, forbiddenAt } from '../api';
import { fromNow, dateTime, label } from '../format';
import type { ChangeStatus } from '../gql/graphql';
import { InboxQuery } from '../operations';
import { useQuery } from '../useQuery';
import { EnvBadge, Errors, Locked, RiskBadge, StatusBadge } from './Badges';

const FILTERS: { value: ChangeStatus | 'ALL'; text: string }[] = [
  { value: 'PENDING', text: 'Pending' },
  { value: 'APPLIED', text: 'Applied' },
  { value: 'REJECTED', text: 'Rejected' },
  { value: 'CANCELLED', text: 'Cancelled' },
  { value: 'EXPIRED', text: 'Expired' },
  { value: 'ALL', text: 'All' },
];

export function Inbox({ token }: { token: string }) {
  const [filter, setFilter] = useState<ChangeStatus | 'ALL'>('PENDING');
  const { loading, result, reload } = useQuery(InboxQuery, { status: filter === 'ALL' ? null : filter }, token);
  const denied = result && forbiddenAt(result.errors, 'changeRequests');
  const changes = result?.data?.changeRequests ?? [];
  const mine = changes.filter((c) => c.viewerCanApprove).length;

  return (
    <>
      <div className="heading-row">
        <h1>Approvals</h1>
        <div className="toolbar">
          <label htmlFor="inbox-status">Status</label>
          <select id="inbox-status" value={filter} onChange={(e) => setFilter(e.target.value as ChangeStatus | 'ALL')}>
            {FILTERS.map((f) => <option key={f.value} value={f.value}>{f.text}</option>)}
          </select>
          <button type="button" className="secondary" onClick={reload}>Refresh</button>
        </div>
      </div>
      {denied ? (
        <Locked title="The approval queue" reason={describeError(denied)} testId="inbox-locked" />
      ) : (
        <>
          <p role="status" className="muted">
            {loading ? 'Loading…' : filter === 'PENDING' ? `${changes.length} pending, ${mine} you can approve now.` : `${changes.length} changes.`}
          </p>
          {result && <Errors errors={result.errors} />}
          {changes.length > 0 && (
            <table className="inbox" data-testid="inbox">
              <caption className="visually-hidden">Change requests</caption>
              <thead>
                <tr>
                  <th scope="col">Change</th>
                  <th scope="col">Requester</th>
                  <th scope="col">Reason and ticket</th>
                  <th scope="col">Risk</th>
                  <th scope="col">Age</th>
                  <th scope="col">Expires</th>
                  <th scope="col">Approvals</th>
                  <th scope="col">You</th>
                </tr>
              </thead>
              <tbody>
                {changes.map((c) => (
                  <tr key={c.id} data-change-id={c.id}>
                    <td>
                      <a href={`#/change/${encodeURIComponent(c.id)}`} className="mono">{c.key ?? c.target}</a>
                      <div className="badges"><EnvBadge environment={c.environment} /> <StatusBadge status={c.status} /></div>
                      <div className="muted small">{label(c.category)}</div>
                    </td>
                    <td>
                      <div>{c.requester.sub}</div>
                      <div className="muted small">{c.requester.roles.join(', ')}</div>
                    </td>
                    <td>
                      <div>{c.reason ?? <span className="muted">(no reason)</span>}</div>
                      {c.ticket && <div className="muted small">{c.ticket}</div>}
                    </td>
                    <td><RiskBadge risk={c.risk} /></td>
                    <td><time dateTime={c.createdAt} title={dateTime(c.createdAt)}>{fromNow(c.createdAt)}</time></td>
                    <td><time dateTime={c.expiresAt} title={dateTime(c.expiresAt)}>{fromNow(c.expiresAt)}</time></td>
                    <td>{c.approvalStatus.summary}</td>
                    <td>
                      {c.viewerCanApprove
                        ? <span className="can">You can approve</span>
                        : <span className="cannot">{c.viewerCannotApproveReason ?? 'You cannot approve'}</span>}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </>
      )}
    </>
  );
}
