import { useState, type FormEvent } from 'react';
import { describeError, forbiddenAt, gql, type GqlError } from '../api';
import type { Me } from '../App';
import { dateTime, fromNow, label } from '../format';
import { ApproveMutation, ChangeQuery, RejectMutation } from '../operations';
import { useQuery } from '../useQuery';
import { EnvBadge, Errors, Locked, RiskBadge, StatusBadge } from './Badges';
import { JsonDiff } from './JsonDiff';

export function ChangeDetail({ id, token, me }: { id: string; token: string; me: Me }) {
  const { loading, result, reload } = useQuery(ChangeQuery, { id }, token);
  const [comment, setComment] = useState('');
  const [rejectReason, setRejectReason] = useState('');
  const [busy, setBusy] = useState(false);
  const [outcome, setOutcome] = useState<string | null>(null);
  const [actionErrors, setActionErrors] = useState<readonly GqlError[]>([]);

  if (loading && !result) return <p role="status">Loading…</p>;
  const denied = result && forbiddenAt(result.errors, 'changeRequest');
  if (denied) return <Locked title="This change" reason={describeError(denied)} />;
  const c = result?.data?.changeRequest;
  if (!c) return <><h1>Change not found</h1><p>There is no change {id} in your tenant. <a href="#/inbox">Back to approvals</a></p></>;

  const pending = c.status === 'PENDING';
  const own = c.requester.sub === me.sub;

  const act = async (e: FormEvent, kind: 'approve' | 'reject') => {
    e.preventDefault();
    setBusy(true);
    setActionErrors([]);
    setOutcome(null);
    let status: string | undefined;
    let errors: readonly GqlError[];
    if (kind === 'approve') {
      const r = await gql(ApproveMutation, { id, comment: comment.trim() || null }, token);
      ({ errors } = r);
      status = r.data?.approveChange?.status;
    } else {
      const r = await gql(RejectMutation, { id, reason: rejectReason.trim() }, token);
      ({ errors } = r);
      status = r.data?.rejectChange?.status;
    }
    setBusy(false);
    if (errors.length > 0) {
      setActionErrors(errors.map((err) => ({ ...err, message: describeError(err) })));
      return;
    }
    setOutcome(kind === 'approve' ? `Approved. The change is now ${label(status ?? 'unknown')}.` : 'Rejected.');
    setComment('');
    setRejectReason('');
    reload();
  };

  return (
    <article aria-labelledby="change-heading" data-testid="change-detail">
      <p><a href="#/inbox">← Approvals</a></p>
      <div className="heading-row">
        <h1 id="change-heading" className="mono">{c.key ?? c.target}</h1>
        <div className="badges">
          <span data-testid="change-status"><StatusBadge status={c.status} /></span> <EnvBadge environment={c.environment} /> <RiskBadge risk={c.risk} />
        </div>
      </div>
      <dl className="facts">
        <dt>Requested by</dt><dd>{c.requester.sub} ({c.requester.roles.join(', ')}){own && ' — you'}</dd>
        <dt>Reason</dt><dd>{c.reason ?? <span className="muted">(none given)</span>}</dd>
        <dt>Ticket</dt><dd>{c.ticket ?? <span className="muted">(none)</span>}</dd>
        <dt>Category</dt><dd>{label(c.category)}, owned by {c.ownerFunction}</dd>
        <dt>Requested</dt><dd><time dateTime={c.createdAt}>{dateTime(c.createdAt)}</time> ({fromNow(c.createdAt)})</dd>
        {pending && <><dt>Expires</dt><dd><time dateTime={c.expiresAt}>{dateTime(c.expiresAt)}</time> ({fromNow(c.expiresAt)})</dd></>}
        {c.appliedAt && <><dt>Applied</dt><dd>version {c.appliedVersion} at {dateTime(c.appliedAt)}</dd></>}
        <dt>Base version</dt><dd>{c.baseVersion}</dd>
      </dl>

      {c.rejection && (
        <section className="rejection" aria-labelledby="rejection-heading" data-testid="rejection">
          <h2 id="rejection-heading">Rejected by {c.rejection.sub} ({c.rejection.functions.join(', ')})</h2>
          <blockquote>{c.rejection.reason}</blockquote>
          <p className="muted small">{dateTime(c.rejection.at)}</p>
        </section>
      )}
      {c.cancellation && <p className="muted">Cancelled by {c.cancellation.sub} at {dateTime(c.cancellation.at)}.</p>}
      {c.failureReason && <p className="error">Failed: {c.failureReason}</p>}

      <JsonDiff before={c.before} after={c.after} diff={c.diff} />

      <section aria-labelledby="approvals-heading">
        <h2 id="approvals-heading">Approvals</h2>
        <p className="summary" data-testid="approval-summary">{c.approvalStatus.summary}</p>
        <p className="muted small">
          Rule: {c.requirement.requiredApprovals} approval{c.requirement.requiredApprovals === 1 ? '' : 's'}
          {c.requirement.distinctFunctions && ', each from a different function'}
          {c.requirement.ownerFunctionRequired && `, one from the owner (${c.ownerFunction})`}
          {c.requirement.requiredFunction && `, one from ${c.requirement.requiredFunction}`}
          {c.requirement.mfaRequired && ', with MFA'}; approvers: {c.approverFunctions.join(', ')}; never the requester.
        </p>
        {c.approvals.length === 0 ? <p className="muted">No approvals yet.</p> : (
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
          <h2 id="decide-heading">Your decision</h2>
          <form onSubmit={(e) => void act(e, 'approve')} className="stack">
            <label htmlFor="approve-comment">Comment (optional)</label>
            <textarea id="approve-comment" rows={2} value={comment} onChange={(e) => setComment(e.target.value)} disabled={!c.viewerCanApprove || busy} />
            <div className="action-row">
              <button type="submit" disabled={!c.viewerCanApprove || busy} aria-describedby={c.viewerCanApprove ? undefined : 'cannot-approve'}>Approve</button>
              {!c.viewerCanApprove && <p id="cannot-approve" className="cannot" data-testid="cannot-approve">{c.viewerCannotApproveReason}</p>}
            </div>
          </form>
          {!own && (
            <form onSubmit={(e) => void act(e, 'reject')} className="stack">
              <label htmlFor="reject-reason">Reason for rejecting (required)</label>
              <textarea id="reject-reason" rows={2} value={rejectReason} onChange={(e) => setRejectReason(e.target.value)} required aria-required="true" disabled={busy} />
              <div><button type="submit" className="danger" disabled={busy || rejectReason.trim() === ''}>Reject</button></div>
            </form>
          )}
        </section>
      )}
      <div aria-live="polite">{outcome && <p className="ok-msg" role="status">{outcome}</p>}</div>
      <Errors errors={actionErrors} />
    </article>
  );
}
