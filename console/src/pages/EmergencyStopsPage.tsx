import { useState, type FormEvent } from 'react';
import { gql, type GqlError } from '../api';
import { EnvBadge, Errors } from '../components/Badges';
import { dateTime } from '../format';
import type { ConsoleStopStatesQuery, Environment } from '../gql/graphql';
import { useQuery } from '../useQuery';
import { Cannot, usePermission } from './guard';
import { EmergencyStopMutation, ResumeMutation, StopStatesQuery } from './page-operations';

// Emergency stop and resume: a stop takes effect at once for the roles the policy allows; a resume is a governed
// change (HIGH risk in production) and links to its change request.

type Stop = NonNullable<ConsoleStopStatesQuery['stopStates']>[number];
const TARGETS = ['connector:ehr', 'automation:billing', 'automation:messaging'];

export function EmergencyStopsPage({ token }: { token: string }) {
  const [environment, setEnvironment] = useState<Environment>('PRODUCTION');
  const states = useQuery(StopStatesQuery, { environment }, token);
  const list = states.result?.data?.stopStates ?? [];
  return (
    <>
      <div className="heading-row">
        <h1>Emergency stops</h1>
        <EnvBadge environment={environment} />
      </div>
      <div className="toolbar">
        <label htmlFor="stop-env">Environment</label>
        <select id="stop-env" value={environment} onChange={(e) => setEnvironment(e.target.value as Environment)}>
          <option value="PRODUCTION">Production</option>
          <option value="STAGING">Staging</option>
        </select>
      </div>
      <StopForm token={token} environment={environment} onStopped={states.reload} />
      {states.loading && <p role="status">Loading…</p>}
      {states.result && <Errors errors={states.result.errors} />}
      {!states.loading && list.length === 0 && (
        <p className="muted" data-testid="stops-empty">
          Nothing has ever been stopped in this environment.
        </p>
      )}
      <ul className="cards" data-testid="stop-list">
        {list.map((s) => (
          <StopCard key={s.target} stop={s} token={token} environment={environment} onChanged={states.reload} />
        ))}
      </ul>
    </>
  );
}

function StopForm({ token, environment, onStopped }: { token: string; environment: Environment; onStopped: () => void }) {
  const [target, setTarget] = useState(TARGETS[0]!);
  const [reason, setReason] = useState('');
  const [busy, setBusy] = useState(false);
  const [errors, setErrors] = useState<readonly GqlError[]>([]);
  const may = usePermission(`stop:${target}`, environment, token);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    const r = await gql(EmergencyStopMutation, { target, environment, reason: reason.trim() }, token);
    setBusy(false);
    setErrors(r.errors);
    if (r.data?.emergencyStop) {
      setReason('');
      onStopped();
    }
  };
  return (
    <section className="card" aria-labelledby="stop-heading">
      <h2 id="stop-heading">Stop now</h2>
      <form className="form-grid" onSubmit={(e) => void submit(e)}>
        <label htmlFor="stop-target">Target</label>
        <select id="stop-target" value={target} onChange={(e) => setTarget(e.target.value)}>
          {TARGETS.map((t) => (
            <option key={t} value={t}>
              {t}
            </option>
          ))}
        </select>
        <label htmlFor="stop-reason">Reason (required)</label>
        <input id="stop-reason" value={reason} onChange={(e) => setReason(e.target.value)} autoComplete="off" />
        <span />
        <div>
          <button
            type="submit"
            className="danger"
            disabled={busy || !may.allowed || reason.trim() === ''}
            aria-describedby={may.allowed ? undefined : 'cannot-stop'}
          >
            Stop {target}
          </button>
          <Cannot id="cannot-stop" permission={may} />
        </div>
      </form>
      <Errors errors={errors} />
    </section>
  );
}

function StopCard({ stop, token, environment, onChanged }: { stop: Stop; token: string; environment: Environment; onChanged: () => void }) {
  const [reason, setReason] = useState('');
  const [busy, setBusy] = useState(false);
  const [errors, setErrors] = useState<readonly GqlError[]>([]);
  const [filed, setFiled] = useState<{ id: string; summary: string } | null>(null);
  const may = usePermission(`resume:${stop.target}`, environment, token, !stop.stopped);
  const pending = stop.pendingResume ?? (filed ? { id: filed.id, approvalStatus: { summary: filed.summary } } : null);
  const idBase = `resume-${stop.target.replace(/[^a-z0-9]/gi, '-')}`;
  const resume = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    const r = await gql(ResumeMutation, { target: stop.target, environment, reason: reason.trim() || null, ticket: null }, token);
    setBusy(false);
    setErrors(r.errors);
    const change = r.data?.resume?.changeRequest;
    if (change) {
      setFiled({ id: change.id, summary: change.approvalStatus.summary });
      if (r.data?.resume?.status === 'APPLIED') onChanged();
    }
  };
  return (
    <li className="card" data-testid={`stop-${stop.target}`}>
      <h2 className="mono">{stop.target}</h2>
      <p data-testid="stop-state">
        {stop.stopped ? <strong>Stopped</strong> : 'Running'}
        {stop.stopped && stop.stoppedBy && (
          <>
            {' '}
            by {stop.stoppedBy}
            {stop.stoppedAt && <> at {dateTime(stop.stoppedAt)}</>}
          </>
        )}
      </p>
      {stop.stopped && stop.reason && <p>Reason: {stop.reason}</p>}
      {pending && (
        <p className="ok-msg" data-testid="resume-pending">
          Resume waiting for approval: {pending.approvalStatus.summary}{' '}
          <a href={`#/change/${encodeURIComponent(pending.id)}`}>Open the change</a>
        </p>
      )}
      {stop.stopped && !pending && (
        <form className="stack" onSubmit={(e) => void resume(e)}>
          <label htmlFor={`${idBase}-reason`}>Why resume</label>
          <input id={`${idBase}-reason`} value={reason} onChange={(e) => setReason(e.target.value)} autoComplete="off" />
          <div>
            <button type="submit" disabled={busy || !may.allowed} aria-describedby={may.allowed ? undefined : `cannot-${idBase}`}>
              Propose resume
            </button>
            <Cannot id={`cannot-${idBase}`} permission={may} />
          </div>
        </form>
      )}
      <Errors errors={errors} />
    </li>
  );
}
