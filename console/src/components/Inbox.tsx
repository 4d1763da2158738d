import { useState } from 'react';
import { failureOf } from '../api';
import type { Me } from '../App';
import { dateTime, fromNow, label } from '../format';
import type { ChangeStatus, Environment, Risk, SettingCategory } from '../gql/graphql';
import { useLive } from '../live';
import { ActionableChangesSubscription, ChangeEventsSubscription, InboxQuery } from '../operations';
import { useQuery } from '../useQuery';
import { EnvBadge, RiskBadge, StatusBadge } from './Badges';
import { changeTitle } from './ChangeViews';
import type { ConsoleInboxFieldsFragment as Change } from '../gql/graphql';
import { Empty, FailureState, Loading } from './States';

// The approval inbox opens on what needs the viewer's decision (the API's actionable query: the decision approveChange
// makes). People without configuration read (clinicians) have only that view: the other tabs are not offered to them.

type Tab = 'actionable' | 'mine' | 'pending' | 'decided';
/** The page size of InboxQuery (operations.ts): the gateway's query cost limit allows this many at once. */
const INBOX_PAGE = 50;
const DECIDED: (ChangeStatus | 'ALL')[] = ['ALL', 'APPLIED', 'REJECTED', 'CANCELLED', 'EXPIRED', 'SUPERSEDED', 'FAILED'];
const RISKS: Risk[] = ['LOW', 'MEDIUM', 'HIGH', 'CRITICAL'];
const CATEGORIES: SettingCategory[] = ['AI_BEHAVIOR', 'INTEGRATION', 'BILLING_AUTOMATION', 'MESSAGING', 'ACCESS', 'AUDIT'];

export function Inbox({ token, me }: { token: string; me: Me }) {
  const [tab, setTab] = useState<Tab>('actionable');
  const [environment, setEnvironment] = useState<Environment | ''>('');
  const [category, setCategory] = useState<SettingCategory | ''>('');
  const [risk, setRisk] = useState<Risk | ''>('');
  const [decided, setDecided] = useState<ChangeStatus | 'ALL'>('ALL');
  const scope = { environment: environment || null, category: category || null };
  const actionable = useQuery(InboxQuery, { ...scope, actionable: true, status: null }, token);
  const pending = useQuery(InboxQuery, { ...scope, actionable: null, status: 'PENDING' }, token);
  const closed = useQuery(InboxQuery, { ...scope, actionable: null, status: decided === 'ALL' ? null : decided }, token, tab !== 'decided');

  const pendingFailure = pending.result && failureOf(pending.result, 'changeRequests');
  // Forbidden to list the tenant's changes: the viewer's queue is only what they can act on (no error to show).
  const actionableOnly = pendingFailure?.kind === 'forbidden';
  const reloadAll = () => {
    actionable.reload();
    if (!actionableOnly) pending.reload();
    if (tab === 'decided') closed.reload();
  };
  useLive(ActionableChangesSubscription, token, reloadAll);
  useLive(ChangeEventsSubscription, token, reloadAll, actionableOnly || !pending.result);

  const byRisk = (list: readonly Change[]) => (risk ? list.filter((c) => c.risk === risk) : list);
  const lists: Record<Tab, readonly Change[] | null> = {
    actionable: actionable.result?.data?.changeRequests ? byRisk(actionable.result.data.changeRequests) : null,
    pending: pending.result?.data?.changeRequests ? byRisk(pending.result.data.changeRequests) : null,
    mine: pending.result?.data?.changeRequests
      ? byRisk(pending.result.data.changeRequests.filter((c) => c.requester.sub === me.sub))
      : null,
    decided: closed.result?.data?.changeRequests ? byRisk(closed.result.data.changeRequests.filter((c) => c.status !== 'PENDING')) : null,
  };
  const sources: Record<Tab, typeof actionable> = { actionable, pending, mine: pending, decided: closed };
  const current = sources[tab];
  const failure = current.result && failureOf(current.result, 'changeRequests');
  const changes = lists[tab];
  const tabs: { id: Tab; text: string }[] = [
    { id: 'actionable', text: 'Needs my decision' },
    ...(actionableOnly
      ? []
      : [
          { id: 'mine' as const, text: 'Mine' },
          { id: 'pending' as const, text: 'All pending' },
          { id: 'decided' as const, text: 'Decided' },
        ]),
  ];

  return (
    <>
      <div className="heading-row">
        <h1>Approvals</h1>
        <button type="button" className="secondary" onClick={reloadAll}>
          Refresh
        </button>
      </div>
      <div role="tablist" aria-label="Queues" className="tabs">
        {tabs.map((t) => (
          <button key={t.id} type="button" role="tab" aria-selected={tab === t.id} data-testid={`tab-${t.id}`} onClick={() => setTab(t.id)}>
            {t.text}
            {lists[t.id] !== null && (
              <span className="count" aria-label={`${lists[t.id]!.length} changes`}>
                {' '}
                {lists[t.id]!.length}
              </span>
            )}
          </button>
        ))}
      </div>
      <div className="toolbar filters">
        <label htmlFor="inbox-risk">Risk</label>
        <select id="inbox-risk" value={risk} onChange={(e) => setRisk(e.target.value as Risk | '')}>
          <option value="">Any</option>
          {RISKS.map((r) => (
            <option key={r} value={r}>
              {label(r)}
            </option>
          ))}
        </select>
        <label htmlFor="inbox-env">Environment</label>
        <select id="inbox-env" value={environment} onChange={(e) => setEnvironment(e.target.value as Environment | '')}>
          <option value="">Any</option>
          <option value="PRODUCTION">Production</option>
          <option value="STAGING">Staging</option>
        </select>
        <label htmlFor="inbox-category">Category</label>
        <select id="inbox-category" value={category} onChange={(e) => setCategory(e.target.value as SettingCategory | '')}>
          <option value="">Any</option>
          {CATEGORIES.map((c) => (
            <option key={c} value={c}>
              {label(c)}
            </option>
          ))}
        </select>
        {tab === 'decided' && (
          <>
            <label htmlFor="inbox-status">Status</label>
            <select id="inbox-status" value={decided} onChange={(e) => setDecided(e.target.value as ChangeStatus | 'ALL')}>
              {DECIDED.map((s) => (
                <option key={s} value={s}>
                  {s === 'ALL' ? 'Any decided' : label(s)}
                </option>
              ))}
            </select>
          </>
        )}
      </div>
      {failure ? (
        <FailureState failure={failure} what="the approval queue" retry={reloadAll} />
      ) : !changes ? (
        <Loading what="the approval queue" />
      ) : changes.length === 0 ? (
        <Empty>{tab === 'actionable' ? 'Nothing needs your decision right now.' : 'No changes match.'}</Empty>
      ) : (
        <>
          <p role="status" className="muted" data-testid="inbox-count">
            {changes.length} {tab === 'decided' ? 'decided' : 'pending'}, {changes.filter((c) => c.viewerCanApprove).length} you can approve
            now.
          </p>
          {(current.result?.data?.changeRequests?.length ?? 0) >= INBOX_PAGE && (
            <p className="muted small" data-testid="inbox-truncated">
              Showing the newest {INBOX_PAGE}; narrow the filters to see older ones.
            </p>
          )}
          <InboxTable changes={changes} />
        </>
      )}
    </>
  );
}

function InboxTable({ changes }: { changes: readonly Change[] }) {
  return (
    <table className="inbox" data-testid="inbox">
      <caption className="visually-hidden">Change requests</caption>
      <thead>
        <tr>
          <th scope="col">Change</th>
          <th scope="col">You</th>
          <th scope="col">Requester</th>
          <th scope="col">Reason and ticket</th>
          <th scope="col">Risk</th>
          <th scope="col">Age</th>
          <th scope="col">Expires</th>
          <th scope="col">Approvals</th>
        </tr>
      </thead>
      <tbody>
        {changes.map((c) => (
          <tr key={c.id} data-change-id={c.id}>
            <td data-label="Change">
              <a href={`#/change/${encodeURIComponent(c.id)}`} className="mono">{changeTitle(c)}</a>
              <div className="badges"><EnvBadge environment={c.environment} /> <StatusBadge status={c.status} /></div>
              <div className="muted small">{label(c.category)} · {label(c.targetType)}</div>
            </td>
            <td data-label="You">
              {c.status !== 'PENDING' ? <span className="muted">Closed</span>
                : c.viewerCanApprove ? <span className="can">You can approve</span>
                  : <span className="cannot">{c.viewerCannotApproveReason ?? 'You cannot approve'}</span>}
            </td>
            <td data-label="Requester">
              <div>{c.requester.sub}</div>
              <div className="muted small">{c.requester.roles.join(', ')}</div>
            </td>
            <td data-label="Reason">
              <div>{c.reason ?? <span className="muted">(no reason)</span>}</div>
              {c.ticket && <div className="muted small">{c.ticket}</div>}
            </td>
            <td data-label="Risk"><RiskBadge risk={c.risk} /></td>
            <td data-label="Age"><time dateTime={c.createdAt} title={dateTime(c.createdAt)}>{fromNow(c.createdAt)}</time></td>
            <td data-label="Expires"><time dateTime={c.expiresAt} title={dateTime(c.expiresAt)}>{fromNow(c.expiresAt)}</time></td>
            <td data-label="Approvals">{c.status === 'PENDING' ? c.approvalStatus.summary : label(c.status)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
