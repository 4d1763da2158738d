import { useCallback, useEffect, useRef, useState, type FormEvent } from 'react';
import { CLINICAL_REJECTION_REASONS } from '../clinical-text';
import { describeError, failureOf, gql, type Failure, type GqlError, type GqlResult } from '../api';
import type { ConsoleActionableQuery } from '../gql/graphql';
import type { Me } from '../App';
import { dateTime, fromNow, label } from '../format';
import { useLive } from '../live';
import {
  ActionableChangesQuery,
  ActionableChangesSubscription,
  ApproveMedicationMutation,
  ApproveMutation,
  CancelMutation,
  ChangeEventsSubscription,
  ChangeQuery,
  RejectMutation,
} from '../operations';
import { EnvBadge, Errors, RiskBadge, StatusBadge } from './Badges';
import { changeTitle, ChangeWords, type Change } from './ChangeViews';
import { JsonDiff } from './JsonDiff';
import { FailureState, Loading } from './States';

type Loaded = { change: Change | null; failure: Failure | null; live: 'tenant' | 'actionable'; gone?: boolean };

const MEDICATION_OUTCOME: Record<string, string> = {
  WRITTEN: 'Approved: written to the EHR.',
  APPROVED: 'Approved: the write is queued and runs when write-back is open.',
  PENDING_APPROVAL: 'Approved: it still needs another approval.',
  FAILED: 'Approved, but the write failed.',
};

/**
 * The change as the viewer may read it: changeRequest(id) for configuration readers; for the others (a clinician) the
 * same change among the ones they can act on, since that is all the API lets them see.
 */
async function loadChange(id: string, token: string): Promise<Loaded> {
  const r = await gql(ChangeQuery, { id }, token);
  const failure = failureOf(r, 'changeRequest');
  if (failure?.kind !== 'forbidden') return { change: r.data?.changeRequest ?? null, failure, live: 'tenant' };
  // Pages of 5 (the full change is costly under the gateway's query cost limit); a clinician's queue is short.
  let after: string | null = null;
  for (let page = 0; page < 20; page++) {
    const mine: GqlResult<ConsoleActionableQuery> = await gql(ActionableChangesQuery, { after }, token);
    const conn = mine.data?.changeRequestsConnection;
    const found = conn?.edges?.find((e) => e.node?.id === id)?.node ?? null;
    if (found) return { change: found, failure: null, live: 'actionable' };
    if (!conn) return { change: null, failure: failureOf(mine, 'changeRequestsConnection') ?? failure, live: 'actionable' };
    if (!conn.pageInfo?.hasNextPage || !conn.pageInfo.endCursor) break;
    after = conn.pageInfo.endCursor;
  }
  return { change: null, failure, live: 'actionable' };
}

/** What the approvals line says once nothing more can be approved: never "needs 2 more" on a closed change. */
function approvalLine(c: Change): string {
  switch (c.status) {
    case 'PENDING':
    case 'APPROVED':
    case 'APPLIED':
      return c.approvalStatus.summary;
    case 'REJECTED': return `closed: rejected with ${c.approvals.length} approval${c.approvals.length === 1 ? '' : 's'} given`;
    case 'CANCELLED': return 'closed: withdrawn by the requester';
    case 'EXPIRED': return 'closed: expired before it was approved';
    case 'SUPERSEDED':
      return c.superseded?.replacedBy
        ? 'closed: replaced by a newer proposal of the same requester'
        : 'closed: the target changed since it was proposed';
    case 'FAILED': return 'closed: approved, but applying it failed';
  }
}

/** Who moved the change last, and how, for the "decided by someone else" banner. */
function lastMove(c: Change): { actor: string | null; text: string } {
  if (c.rejection) return { actor: c.rejection.sub, text: `rejected by ${c.rejection.sub}` };
  if (c.cancellation) return { actor: c.cancellation.sub, text: `withdrawn by ${c.cancellation.sub}` };
  const last = c.approvals[c.approvals.length - 1];
  if (c.status === 'PENDING' && last) return { actor: last.sub, text: `approved by ${last.sub}` };
  if (c.status === 'APPLIED' || c.status === 'APPROVED')
    return { actor: last?.sub ?? null, text: `${label(c.status).toLowerCase()}${last ? ` after the approval of ${last.sub}` : ''}` };
  return { actor: null, text: `now ${label(c.status).toLowerCase()}` };
}

export function ChangeDetail({ id, token, me }: { id: string; token: string; me: Me }) {
  const [loaded, setLoaded] = useState<Loaded | null>(null);
  const [tick, setTick] = useState(0);
  const [comment, setComment] = useState('');
  const [rejectReason, setRejectReason] = useState('');
  const [busy, setBusy] = useState(false);
  const [outcome, setOutcome] = useState<string | null>(null);
  const [banner, setBanner] = useState<string | null>(null);
  const [actionErrors, setActionErrors] = useState<readonly GqlError[]>([]);
  const seen = useRef<string | null>(null);

  const reload = useCallback(() => setTick((t) => t + 1), []);
  useEffect(() => {
    let live = true;
    void loadChange(id, token).then((l) => {
      if (!live) return;
      const c = l.change;
      const stamp = c ? `${c.status}:${c.approvals.length}` : null;
      if (c && stamp && seen.current && stamp !== seen.current) {
        // News only when someone else moved it: the viewer's own approve, reject or withdraw is not "someone else".
        const move = lastMove(c);
        if (move.actor !== me.sub) setBanner(`While you had this open, the change was ${move.text}.`);
      }
      if (stamp) seen.current = stamp;
      // Someone who sees only their actionable changes loses sight of one once it is decided: keep what they saw, closed.
      setLoaded((prev) =>
        l.live === 'actionable' && !l.change && prev?.change?.id === id
          ? { ...prev, change: { ...prev.change, viewerCanApprove: false }, gone: true }
          : l,
      );
    });
    return () => {
      live = false;
    };
  }, [id, token, tick, me.sub]);

  const onEvent = (e: { changeId: string } | null) => {
    if (e === null || e.changeId === id) reload();
  };
  const tenantLive = useLive(ChangeEventsSubscription, token, (d) => onEvent(d?.changeEvents ?? null), loaded?.live !== 'tenant');
  const actionableLive = useLive(
    ActionableChangesSubscription,
    token,
    (d) => onEvent(d?.actionableChanges ?? null),
    loaded?.live !== 'actionable',
  );

  if (!loaded) return <Loading what="the change" />;
  if (loaded.failure)
    return (
      <>
        <p>
          <a href="#/inbox">← Approvals</a>
        </p>
        <FailureState failure={loaded.failure} what="this change" retry={reload} />
      </>
    );
  const c = loaded.change;
  if (!c) {
    return (
      <div data-testid="state-not-found">
        <h1>Change not found</h1>
        <p>There is no change {id} in your tenant. <a href="#/inbox">Back to approvals</a></p>
      </div>
    );
  }

  const pending = c.status === 'PENDING' && !loaded.gone;
  // The API says whether rejectChange would accept this viewer's rejection (it may where approving is held: a write the
  // write-back gate holds can still be turned down).
  const canReject = c.viewerCanReject;
  const own = c.requester.sub === me.sub;
  // A clinical change takes no free text of its own (clinical-text.ts): no comment, a rejection reason from the list.
  const clinical = c.targetType === 'EHR_WRITE';

  const act = async (e: FormEvent, kind: 'approve' | 'reject' | 'withdraw') => {
    e.preventDefault();
    setBusy(true);
    setActionErrors([]);
    setOutcome(null);
    setBanner(null);
    let status: string | undefined;
    let errors: readonly GqlError[];
    if (kind === 'approve' && c.targetType === 'EHR_WRITE') {
      const r = await gql(ApproveMedicationMutation, { id, comment: comment.trim() || null }, token);
      ({ errors } = r);
      status = r.data?.approveMedicationProposal?.status;
    } else if (kind === 'approve') {
      const r = await gql(ApproveMutation, { id, comment: comment.trim() || null }, token);
      ({ errors } = r);
      status = r.data?.approveChange?.status;
    } else if (kind === 'reject') {
      const r = await gql(RejectMutation, { id, reason: rejectReason.trim() }, token);
      ({ errors } = r);
      status = r.data?.rejectChange?.status;
    } else {
      const r = await gql(CancelMutation, { id }, token);
      ({ errors } = r);
      status = r.data?.cancelChange?.status;
    }
    setBusy(false);
    if (errors.length > 0) {
      setActionErrors(errors.map((err) => ({ ...err, message: describeError(err) })));
      reload();
      return;
    }
    const approved =
      c.targetType === 'EHR_WRITE'
        ? (MEDICATION_OUTCOME[status ?? ''] ?? 'Approved.')
        : `Approved. The change is now ${label(status ?? 'unknown')}.`;
    setOutcome(kind === 'approve' ? approved : kind === 'reject' ? 'Rejected.' : 'Withdrawn.');
    setComment('');
    setRejectReason('');
    reload();
  };

  return (
    <article
      aria-labelledby="change-heading"
      data-testid="change-detail"
      data-change-id={c.id}
      data-live={tenantLive || actionableLive ? 'connected' : 'off'}
    >
      <p>
        <a href="#/inbox">← Approvals</a>
      </p>
      {banner && (
        <div role="alert" className="banner" data-testid="decided-elsewhere">
          <p>{banner}</p>
          <button type="button" className="link" onClick={() => setBanner(null)}>
            Dismiss
          </button>
        </div>
      )}
      <div className="heading-row">
        <h1 id="change-heading" className="mono">
          {changeTitle(c)}
        </h1>
        <div className="badges">
          <span data-testid="change-status">
            <StatusBadge status={c.status} />
          </span>{' '}
          <EnvBadge environment={c.environment} /> <RiskBadge risk={c.risk} />
          {(tenantLive || actionableLive) && (
            <span className="badge live" title="Updates arrive as they happen">
              Live
            </span>
          )}
        </div>
      </div>
      {loaded.gone && (
        <p className="banner" role="status" data-testid="no-longer-yours">
          This change no longer waits for your decision.
        </p>
      )}
      <ChangeWords change={c} />
      <dl className="facts">
        <dt>Requested by</dt>
        <dd>
          {c.requester.sub} ({c.requester.roles.join(', ')}){c.requester.kind === 'AGENT' && ', an AI agent'}
          {own && ' — you'}
        </dd>
        <dt>Reason</dt>
        <dd>
          {c.reason ??
            (c.textsWithheld ? (
              <span className="muted" data-testid="reason-withheld">
                (withheld: you may not read this refund's invoice)
              </span>
            ) : (
              <span className="muted">(none given)</span>
            ))}
        </dd>
        <dt>Ticket</dt>
        <dd>{c.ticket ?? <span className="muted">(none)</span>}</dd>
        <dt>Category</dt>
        <dd>
          {label(c.category)}, owned by {c.ownerFunction}
        </dd>
        <dt>Requested</dt>
        <dd>
          <time dateTime={c.createdAt}>{dateTime(c.createdAt)}</time> ({fromNow(c.createdAt)})
        </dd>
        {pending && (
          <>
            <dt>Expires</dt>
            <dd>
              <time dateTime={c.expiresAt}>{dateTime(c.expiresAt)}</time> ({fromNow(c.expiresAt)})
            </dd>
          </>
        )}
        {c.appliedAt && (
          <>
            <dt>Applied</dt>
            <dd>
              version {c.appliedVersion} at {dateTime(c.appliedAt)}
            </dd>
          </>
        )}
        <dt>Base version</dt>
        <dd>{c.baseVersion}</dd>
      </dl>

      {c.rejection && (
        <section className="rejection" aria-labelledby="rejection-heading" data-testid="rejection">
          <h2 id="rejection-heading">
            Rejected by {c.rejection.sub} ({c.rejection.functions.join(', ')})
          </h2>
          <blockquote>{c.rejection.reason}</blockquote>
          <p className="muted small">{dateTime(c.rejection.at)}</p>
        </section>
      )}
      {c.cancellation && (
        <p className="muted" data-testid="cancellation">
          Withdrawn by {c.cancellation.sub} at {dateTime(c.cancellation.at)}.
        </p>
      )}
      {c.failureReason && <p className="error">Failed: {c.failureReason}</p>}

      <details className="raw" data-testid="raw-json">
        <summary>Raw JSON and the exact diff</summary>
        <JsonDiff before={c.before} after={c.after} diff={c.diff} />
      </details>

      <section aria-labelledby="approvals-heading">
        <h2 id="approvals-heading">Approvals</h2>
        <p className="summary" data-testid="approval-summary">
          {approvalLine(c)}
        </p>
        <p className="muted small">
          Rule: {c.requirement.requiredApprovals} approval{c.requirement.requiredApprovals === 1 ? '' : 's'}
          {c.requirement.distinctFunctions && ', each from a different function'}
          {c.requirement.ownerFunctionRequired && `, one from the owner (${c.ownerFunction})`}
          {c.requirement.requiredFunction && `, one from ${c.requirement.requiredFunction}`}
          {c.requirement.mfaRequired && ', with MFA'}; approvers: {c.approverFunctions.join(', ')}; never the requester.
        </p>
        {c.approvals.length === 0 ? (
          <p className="muted">No approvals yet.</p>
        ) : (
          <ul className="approvals" data-testid="approvals">
            {c.approvals.map((a) => (
              <li key={`${a.sub}${a.at}`}>
                <strong>{a.sub}</strong> as {a.roleUsed} ({a.functions.join(', ')}){a.mfa ? ', with MFA' : ''}, {dateTime(a.at)}
                {a.comment && <blockquote>{a.comment}</blockquote>}
              </li>
            ))}
          </ul>
        )}
      </section>

      {pending && (
        <section aria-labelledby="decide-heading" className="decide">
          <h2 id="decide-heading">{own ? 'Your change' : 'Your decision'}</h2>
          <form onSubmit={(e) => void act(e, 'approve')} className="stack">
            {clinical ? (
              <p className="muted small" data-testid="clinical-no-comment">
                A clinical proposal is approved without a comment: write clinical notes in the patient&apos;s record.
              </p>
            ) : (
              <>
                <label htmlFor="approve-comment">Comment (optional)</label>
                <textarea
                  id="approve-comment"
                  rows={2}
                  value={comment}
                  onChange={(e) => setComment(e.target.value)}
                  disabled={!c.viewerCanApprove || busy}
                />
              </>
            )}
            <div className="action-row">
              <button
                type="submit"
                disabled={!c.viewerCanApprove || busy}
                aria-describedby={c.viewerCanApprove ? undefined : 'cannot-approve'}
              >
                Approve
              </button>
              {!c.viewerCanApprove && (
                <p id="cannot-approve" className="cannot" data-testid="cannot-approve">
                  {c.viewerCannotApproveReason}
                </p>
              )}
            </div>
          </form>
          {/* Reject only when the API says rejectChange would accept it (viewerCanReject). */}
          {canReject && !own && (
            <form onSubmit={(e) => void act(e, 'reject')} className="stack">
              <label htmlFor="reject-reason">Reason for rejecting (required)</label>
              {clinical ? (
                <select
                  id="reject-reason"
                  value={rejectReason}
                  onChange={(e) => setRejectReason(e.target.value)}
                  required
                  aria-required="true"
                  disabled={busy}
                >
                  <option value="">Choose a reason</option>
                  {CLINICAL_REJECTION_REASONS.map((r) => (
                    <option key={r} value={r}>
                      {r}
                    </option>
                  ))}
                </select>
              ) : (
                <textarea
                  id="reject-reason"
                  rows={2}
                  value={rejectReason}
                  onChange={(e) => setRejectReason(e.target.value)}
                  required
                  aria-required="true"
                  disabled={busy}
                />
              )}
              <div>
                <button type="submit" className="danger" disabled={busy || rejectReason.trim() === ''}>
                  Reject
                </button>
              </div>
            </form>
          )}
          {own && (
            <form onSubmit={(e) => void act(e, 'withdraw')} className="stack">
              <p className="muted small">You proposed this change: you can withdraw it while it is pending.</p>
              <div>
                <button type="submit" className="danger" disabled={busy}>
                  Withdraw
                </button>
              </div>
            </form>
          )}
        </section>
      )}
      <div aria-live="polite">
        {outcome && (
          <p className="ok-msg" role="status">
            {outcome}
          </p>
        )}
      </div>
      <Errors errors={actionErrors} />
    </article>
  );
}
