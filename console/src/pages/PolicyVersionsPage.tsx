import { useState } from 'react';
import { Errors, Locked } from '../components/Badges';
import { dateTime, json, label } from '../format';
import { useQuery } from '../useQuery';
import { FieldAccessQuery, PolicyDiffQuery, PolicyVersionsQuery } from './page-operations';

// The tenant's policy document, version by version, and what changed between any two, rule by rule (JSON Pointer
// paths into the document). Changing the policy is a governed change (proposePolicy); this page only reads.

export function PolicyVersionsPage({ token }: { token: string }) {
  const read = useQuery(FieldAccessQuery, { type: 'Query', field: 'policyVersions' }, token);
  const r = read.result?.data?.explainField;
  if (read.loading) return <p role="status">Loading…</p>;
  if (r && r.decision !== 'ALLOW')
    return (
      <>
        <h1>Policy versions</h1>
        <Locked title="Policy versions" reason={r.message} testId="policy-locked" />
      </>
    );
  return <Versions token={token} />;
}

function Versions({ token }: { token: string }) {
  const q = useQuery(PolicyVersionsQuery, {}, token);
  const versions = q.result?.data?.policyVersions ?? [];
  const newest = versions.reduce((m, v) => Math.max(m, v.version), 0);
  const [from, setFrom] = useState(0);
  const [to, setTo] = useState<number | null>(null);
  return (
    <>
      <h1>Policy versions</h1>
      {q.loading && <p role="status">Loading…</p>}
      {q.result && <Errors errors={q.result.errors} />}
      {!q.loading && (
        <div className="table-wrap">
          <table data-testid="policy-versions">
            <thead>
              <tr>
                <th scope="col">Version</th>
                <th scope="col">Policy</th>
                <th scope="col">When</th>
                <th scope="col">By</th>
                <th scope="col">Change</th>
              </tr>
            </thead>
            <tbody>
              {versions.map((v) => (
                <tr key={v.version}>
                  <td>
                    {v.version}
                    {v.version === 0 && ' (built-in default)'}
                  </td>
                  <td className="mono">{v.policyVersion}</td>
                  <td>{v.at ? dateTime(v.at) : ''}</td>
                  <td>{v.changedBy ?? ''}</td>
                  <td>{v.changeId && <a href={`#/change/${encodeURIComponent(v.changeId)}`}>open</a>}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <h2>Compare versions</h2>
      <div className="toolbar">
        <label htmlFor="policy-from">From</label>
        <select id="policy-from" value={from} onChange={(e) => setFrom(Number(e.target.value))}>
          {versions.map((v) => (
            <option key={v.version} value={v.version}>
              {v.version}
            </option>
          ))}
        </select>
        <label htmlFor="policy-to">To</label>
        <select id="policy-to" value={to ?? newest} onChange={(e) => setTo(Number(e.target.value))}>
          {versions.map((v) => (
            <option key={v.version} value={v.version}>
              {v.version}
            </option>
          ))}
        </select>
      </div>
      {!q.loading && <PolicyDiff token={token} from={from} to={to ?? newest} />}
    </>
  );
}

function PolicyDiff({ token, from, to }: { token: string; from: number; to: number }) {
  const q = useQuery(PolicyDiffQuery, { from, to }, token);
  if (q.loading) return <p role="status">Loading…</p>;
  const entries = q.result?.data?.policyDiff;
  if (!entries) return <Errors errors={q.result?.errors ?? []} />;
  if (entries.length === 0)
    return (
      <p className="muted" data-testid="policy-diff">
        No difference between version {from} and version {to}.
      </p>
    );
  return (
    <div className="table-wrap" data-testid="policy-diff">
      <table>
        <thead><tr><th scope="col">Rule</th><th scope="col">Change</th><th scope="col">Before</th><th scope="col">After</th></tr></thead>
        <tbody>
          {entries.map((d) => (
            <tr key={`${d.path}/${d.op}`}>
              <td className="mono">{d.path}</td>
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
