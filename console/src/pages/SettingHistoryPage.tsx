import { useState, type FormEvent } from 'react';
import { gql, type GqlError } from '../api';
import { EnvBadge, Errors } from '../components/Badges';
import { dateTime, json, label } from '../format';
import type { Environment } from '../gql/graphql';
import { useQuery } from '../useQuery';
import { Cannot, usePermission } from './guard';
import { PromoteSettingMutation, RollbackSettingMutation, SettingDiffQuery, SettingHistoryQuery } from './page-operations';

// A setting's versions, what changed between any two, and the two governed ways back or forward: roll back to an
// older version, or promote the staging value to production. Both are offered only when `explain` says the viewer
// may change the setting; both file a change request and link to it.

export function SettingHistoryPage({ token, initialKey }: { token: string; initialKey: string }) {
  const [key, setKey] = useState(initialKey);
  const [draft, setDraft] = useState(initialKey);
  const [environment, setEnvironment] = useState<Environment>('PRODUCTION');
  const open = (e: FormEvent) => {
    e.preventDefault();
    setKey(draft.trim());
    history.replaceState(null, '', `#/history/${encodeURIComponent(draft.trim())}`);
  };
  return (
    <>
      <div className="heading-row">
        <h1>Setting history</h1>
        <EnvBadge environment={environment} />
      </div>
      <form className="toolbar" onSubmit={open}>
        <label htmlFor="history-key">Setting key</label>
        <input id="history-key" value={draft} onChange={(e) => setDraft(e.target.value)} autoComplete="off" className="mono" />
        <label htmlFor="history-env">Environment</label>
        <select id="history-env" value={environment} onChange={(e) => setEnvironment(e.target.value as Environment)}>
          <option value="PRODUCTION">Production</option>
          <option value="STAGING">Staging</option>
        </select>
        <button type="submit" className="secondary">
          Show
        </button>
      </form>
      {key ? (
        <History key={`${key}/${environment}`} token={token} settingKey={key} environment={environment} />
      ) : (
        <p className="muted">Name a setting, or open one from Settings.</p>
      )}
    </>
  );
}

function History({ token, settingKey, environment }: { token: string; settingKey: string; environment: Environment }) {
  const q = useQuery(SettingHistoryQuery, { key: settingKey, environment }, token);
  const may = usePermission(`setting:update:${settingKey}`, environment, token);
  const mayPromote = usePermission(`setting:update:${settingKey}`, 'PRODUCTION', token, environment !== 'STAGING');
  const [from, setFrom] = useState(0);
  const [to, setTo] = useState<number | null>(null);
  const [reason, setReason] = useState('');
  const [busy, setBusy] = useState(false);
  const [errors, setErrors] = useState<readonly GqlError[]>([]);
  const [filed, setFiled] = useState<{ id: string; summary: string; status: string } | null>(null);
  if (q.loading) return <p role="status">Loading…</p>;
  const setting = q.result?.data?.setting;
  const versions = q.result?.data?.settingHistory ?? [];
  if (!setting) return <Errors errors={q.result?.errors.length ? q.result.errors : [{ message: 'No such setting.' }]} />;
  const latest = setting.version;
  const toVersion = to ?? latest;
  const pending = setting.pendingChange;

  const act = async (kind: 'rollback' | 'promote', version: number) => {
    setBusy(true);
    const why = reason.trim() || null;
    let result;
    let problems: readonly GqlError[];
    if (kind === 'rollback') {
      const r = await gql(RollbackSettingMutation, { key: settingKey, environment, toVersion: version, reason: why, ticket: null }, token);
      result = r.data?.rollbackSetting;
      problems = r.errors;
    } else {
      const r = await gql(PromoteSettingMutation, { key: settingKey, reason: why, ticket: null }, token);
      result = r.data?.promoteSetting;
      problems = r.errors;
    }
    setBusy(false);
    setErrors(problems);
    if (result) {
      setFiled({ id: result.changeRequest.id, summary: result.changeRequest.approvalStatus.summary, status: result.status });
      q.reload();
    }
  };
  // One change at a time: while a filed change waits for approval, nothing else is proposed from here.
  const waiting = filed !== null && filed.status !== 'APPLIED';
  const blocked = busy || !may.allowed || Boolean(pending) || waiting;

  return (
    <section aria-label={`History of ${settingKey}`} data-testid="setting-history">
      <p>
        Current version <strong data-testid="history-current">{latest}</strong>
        {latest === 0 && ' (catalog default)'}.
      </p>
      {pending && (
        <p className="ok-msg" data-testid="history-pending">
          A change of this setting is open: <a href={`#/change/${encodeURIComponent(pending.id)}`}>open it</a> before proposing another.
        </p>
      )}
      {filed && (
        <p className="ok-msg" role="status" data-testid="history-result">
          {filed.status === 'APPLIED' ? 'Applied.' : `Sent for approval: ${filed.summary}`}{' '}
          <a href={`#/change/${encodeURIComponent(filed.id)}`}>Open the change</a>
        </p>
      )}
      <div className="stack">
        <label htmlFor="history-reason">Reason for a rollback or promotion</label>
        <input id="history-reason" value={reason} onChange={(e) => setReason(e.target.value)} autoComplete="off" />
      </div>
      <Cannot id="cannot-rollback" permission={may} />
      <div className="table-wrap">
        <table className="history">
          <thead>
            <tr>
              <th scope="col">Version</th>
              <th scope="col">When</th>
              <th scope="col">By</th>
              <th scope="col">Reason</th>
              <th scope="col">Action</th>
            </tr>
          </thead>
          <tbody>
            {[...versions].reverse().map((v) => (
              <tr key={v.version} data-testid={`version-${v.version}`}>
                <td>{v.version}</td>
                <td>{dateTime(v.at)}</td>
                <td>{v.changedBy}</td>
                <td>
                  {v.reason ?? ''}
                  {v.changeId && (
                    <>
                      {' '}
                      <a href={`#/change/${encodeURIComponent(v.changeId)}`}>change</a>
                    </>
                  )}
                </td>
                <td>
                  {v.version !== latest && (
                    <button
                      type="button"
                      className="secondary"
                      disabled={blocked}
                      aria-describedby={may.allowed ? undefined : 'cannot-rollback'}
                      onClick={() => void act('rollback', v.version)}
                    >
                      Roll back to {v.version}
                    </button>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {environment === 'STAGING' && (
        <div className="action-row">
          <button
            type="button"
            disabled={busy || !mayPromote.allowed || waiting}
            aria-describedby={mayPromote.allowed ? undefined : 'cannot-promote'}
            onClick={() => void act('promote', latest)}
          >
            Promote staging value to production
          </button>
          <Cannot id="cannot-promote" permission={mayPromote} />
        </div>
      )}
      <Errors errors={errors} />
      <h2>Compare versions</h2>
      <div className="toolbar">
        <label htmlFor="diff-from">From</label>
        <select id="diff-from" value={from} onChange={(e) => setFrom(Number(e.target.value))}>
          <option value={0}>0 (default)</option>
          {versions.map((v) => (
            <option key={v.version} value={v.version}>
              {v.version}
            </option>
          ))}
        </select>
        <label htmlFor="diff-to">To</label>
        <select id="diff-to" value={toVersion} onChange={(e) => setTo(Number(e.target.value))}>
          <option value={0}>0 (default)</option>
          {versions.map((v) => (
            <option key={v.version} value={v.version}>
              {v.version}
            </option>
          ))}
        </select>
      </div>
      <VersionDiff token={token} settingKey={settingKey} environment={environment} from={from} to={toVersion} />
    </section>
  );
}

function VersionDiff({
  token,
  settingKey,
  environment,
  from,
  to,
}: {
  token: string;
  settingKey: string;
  environment: Environment;
  from: number;
  to: number;
}) {
  const q = useQuery(SettingDiffQuery, { key: settingKey, environment, from, to }, token);
  if (q.loading) return <p role="status">Loading…</p>;
  const entries = q.result?.data?.settingDiff?.entries;
  if (!entries) return <Errors errors={q.result?.errors ?? []} />;
  if (entries.length === 0)
    return (
      <p className="muted" data-testid="history-diff">
        No difference.
      </p>
    );
  return (
    <div className="table-wrap" data-testid="history-diff">
      <table>
        <thead>
          <tr>
            <th scope="col">Where</th>
            <th scope="col">Change</th>
            <th scope="col">Before</th>
            <th scope="col">After</th>
          </tr>
        </thead>
        <tbody>
          {entries.map((d) => (
            <tr key={`${d.path}/${d.op}`}>
              <td className="mono">{d.path === '' ? '(whole value)' : d.path}</td>
              <td>{label(d.op)}</td>
              <td className="mono">{d.op === 'ADD' ? '' : json(d.before)}</td>
              <td className="mono">{d.op === 'REMOVE' ? '' : json(d.after)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
