import { useState } from 'react';
import { gql, type GqlError } from '../api';
import { Errors, Locked } from '../components/Badges';
import { dateTime, label } from '../format';
import type { ConsoleAccessReviewQuery, ReviewDecision } from '../gql/graphql';
import { useQuery } from '../useQuery';
import { AccessReviewQuery, CompleteReviewMutation, FieldAccessQuery } from './page-operations';

// Access review and break-glass review: grants unused for a while, past their department, and break-glass uses
// nobody has reviewed. Keep or revoke each with a comment. Reading it and deciding are asked of the API first
// (explainField on Query.accessReview and Mutation.completeReview); a role without them sees the API's reason.

type Item = ConsoleAccessReviewQuery['accessReview'][number];

export function AccessReviewPage({ token }: { token: string }) {
  const read = useQuery(FieldAccessQuery, { type: 'Query', field: 'accessReview' }, token);
  const decide = useQuery(FieldAccessQuery, { type: 'Mutation', field: 'completeReview' }, token);
  const r = read.result?.data?.explainField;
  if (read.loading || decide.loading) return <p role="status">Loading…</p>;
  if (r && r.decision !== 'ALLOW')
    return (
      <>
        <h1>Access review</h1>
        <Locked title="Access review" reason={r.message} testId="review-locked" />
      </>
    );
  const d = decide.result?.data?.explainField;
  return <Review token={token} cannotDecide={d && d.decision !== 'ALLOW' ? d.message : null} />;
}

function Review({ token, cannotDecide }: { token: string; cannotDecide: string | null }) {
  const [staleDays, setStaleDays] = useState(90);
  const q = useQuery(AccessReviewQuery, { staleDays }, token);
  const items = q.result?.data?.accessReview ?? [];
  const breakGlass = items.filter((i) => i.flags.includes('BREAK_GLASS'));
  const others = items.filter((i) => !i.flags.includes('BREAK_GLASS'));
  return (
    <>
      <h1>Access review</h1>
      <div className="toolbar">
        <label htmlFor="stale-days">Unused for (days)</label>
        <input
          id="stale-days"
          type="number"
          min={0}
          value={staleDays}
          onChange={(e) => setStaleDays(Math.max(0, Number(e.target.value) || 0))}
        />
      </div>
      {q.loading && <p role="status">Loading…</p>}
      {q.result && <Errors errors={q.result.errors} />}
      <h2>Break-glass uses to review</h2>
      {!q.loading && breakGlass.length === 0 && (
        <p className="muted" data-testid="break-glass-empty">
          No break-glass use waits for review.
        </p>
      )}
      <ul className="cards" data-testid="break-glass-list">
        {breakGlass.map((i) => (
          <ReviewCard key={i.grant.id} item={i} token={token} cannotDecide={cannotDecide} onDone={q.reload} />
        ))}
      </ul>
      <h2>Grants to review</h2>
      {!q.loading && others.length === 0 && (
        <p className="muted" data-testid="grants-empty">
          No stale grant and no grant past its department.
        </p>
      )}
      <ul className="cards">
        {others.map((i) => (
          <ReviewCard key={i.grant.id} item={i} token={token} cannotDecide={cannotDecide} onDone={q.reload} />
        ))}
      </ul>
    </>
  );
}

function ReviewCard({ item, token, cannotDecide, onDone }: { item: Item; token: string; cannotDecide: string | null; onDone: () => void }) {
  const g = item.grant;
  const [comment, setComment] = useState('');
  const [busy, setBusy] = useState(false);
  const [errors, setErrors] = useState<readonly GqlError[]>([]);
  const id = `review-${g.id.replace(/[^A-Za-z0-9_-]/g, '-')}`;
  const decide = async (decision: ReviewDecision) => {
    setBusy(true);
    const r = await gql(CompleteReviewMutation, { assignee: g.sub, grantId: g.id, decision, comment: comment.trim() || null }, token);
    setBusy(false);
    setErrors(r.errors);
    if (r.data?.completeReview) onDone();
  };
  return (
    <li className="card" data-testid={`review-${g.sub}`}>
      <h3>
        {g.sub}: {g.name}
        {g.patientId && (
          <>
            {' '}
            for patient <span className="mono">{g.patientId}</span>
          </>
        )}
      </h3>
      <p>
        {item.flags.map((f) => label(f)).join(', ')} · granted {dateTime(g.grantedAt)}
        {g.expiresAt && <> · expires {dateTime(g.expiresAt)}</>}
        {item.lastUsedAt ? <> · last used {dateTime(item.lastUsedAt)}</> : ' · never used'}
      </p>
      <p>Reason given: {g.reason}</p>
      <div className="stack">
        <label htmlFor={`${id}-comment`}>Review comment</label>
        <input id={`${id}-comment`} value={comment} onChange={(e) => setComment(e.target.value)} autoComplete="off" />
      </div>
      <div className="action-row">
        <button
          type="button"
          disabled={busy || cannotDecide !== null}
          aria-describedby={cannotDecide ? `${id}-cannot` : undefined}
          onClick={() => void decide('KEEP')}
        >
          Keep
        </button>
        <button
          type="button"
          className="danger"
          disabled={busy || cannotDecide !== null}
          aria-describedby={cannotDecide ? `${id}-cannot` : undefined}
          onClick={() => void decide('REVOKE')}
        >
          Revoke
        </button>
      </div>
      {cannotDecide && (
        <p className="cannot" id={`${id}-cannot`}>
          {cannotDecide}
        </p>
      )}
      <Errors errors={errors} />
    </li>
  );
}
