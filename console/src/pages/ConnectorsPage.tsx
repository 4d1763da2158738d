import { useState, type FormEvent } from 'react';
import { describeError, gql, type GqlError } from '../api';
import { EnvBadge, Errors } from '../components/Badges';
import { dateTime } from '../format';
import type { ConsoleConnectorsQuery, ConsoleTestConnectorMutation, Environment } from '../gql/graphql';
import { useQuery } from '../useQuery';
import { Cannot, usePermission, type Permission } from './guard';
import {
  ConfigureConnectorMutation,
  ConnectorsQuery,
  FieldAccessQuery,
  GenerateConnectorKeyMutation,
  RotateConnectorSecretMutation,
  TestConnectorMutation,
} from './page-operations';

// Connectors: configuration (each field a governed setting), a test that reports each step (SMART discovery,
// token, /metadata, a scoped search), the circuit and health of this gateway process, and credentials (generate a
// SMART Backend Services key, rotate a client secret), which queue as governed changes. Secrets are write-only.

type Connector = NonNullable<ConsoleConnectorsQuery['connectors']>[number];
type Filed = { key: string; status: string; changeRequestId: string };

function useFieldPermission(type: string, field: string, token: string): Permission {
  const q = useQuery(FieldAccessQuery, { type, field }, token);
  const e = q.result?.data?.explainField;
  if (q.loading || !q.result) return { loading: true, allowed: false, reason: null };
  if (!e)
    return { loading: false, allowed: false, reason: q.result.errors[0]?.message ?? 'The gateway did not say whether you may do this.' };
  return { loading: false, allowed: e.decision !== 'DENY', reason: e.decision === 'DENY' ? e.message : null };
}

export function ConnectorsPage({ token }: { token: string }) {
  const [environment, setEnvironment] = useState<Environment>('STAGING');
  const q = useQuery(ConnectorsQuery, { environment }, token);
  const list = q.result?.data?.connectors ?? [];
  const health = q.result?.data?.connectorHealth ?? [];
  return (
    <>
      <div className="heading-row">
        <h1>Connectors</h1>
        <EnvBadge environment={environment} />
      </div>
      <div className="toolbar">
        <label htmlFor="connector-env">Environment</label>
        <select id="connector-env" value={environment} onChange={(e) => setEnvironment(e.target.value as Environment)}>
          <option value="STAGING">Staging</option>
          <option value="PRODUCTION">Production</option>
        </select>
      </div>
      {q.loading && <p role="status">Loading…</p>}
      {q.result && <Errors errors={q.result.errors} />}
      <ul className="cards">
        {list.map((c) => (
          <ConnectorCard key={`${c.id}/${environment}`} connector={c} token={token} environment={environment} onChanged={q.reload} />
        ))}
      </ul>
      <h2>Health (this gateway process)</h2>
      {health.length === 0 ? (
        <p className="muted">No outbound calls yet.</p>
      ) : (
        <div className="table-wrap">
          <table data-testid="connector-health">
            <thead>
              <tr>
                <th scope="col">Connector</th>
                <th scope="col">Circuit</th>
                <th scope="col">Calls</th>
                <th scope="col">Errors</th>
                <th scope="col">p50</th>
                <th scope="col">Last error</th>
              </tr>
            </thead>
            <tbody>
              {health.map((h) => (
                <tr key={h.connector}>
                  <td className="mono">{h.connector}</td>
                  <td>{h.circuit}</td>
                  <td>{h.calls}</td>
                  <td>
                    {h.errors} ({Math.round(h.errorRate * 100)}%)
                  </td>
                  <td>{h.p50LatencyMs === null || h.p50LatencyMs === undefined ? '' : `${Math.round(h.p50LatencyMs)} ms`}</td>
                  <td>
                    {h.lastError ?? ''}
                    {h.lastErrorAt && <> at {dateTime(h.lastErrorAt)}</>}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </>
  );
}

function FiledChanges({ changes }: { changes: readonly Filed[] }) {
  if (changes.length === 0) return null;
  return (
    <ul className="ok-msg" role="status" data-testid="connector-changes">
      {changes.map((c) => (
        <li key={c.changeRequestId}>
          <span className="mono">{c.key}</span>: {c.status === 'APPLIED' ? 'applied' : 'sent for approval'}{' '}
          <a href={`#/change/${encodeURIComponent(c.changeRequestId)}`}>Open the change</a>
        </li>
      ))}
    </ul>
  );
}

function ConnectorCard({
  connector: c,
  token,
  environment,
  onChanged,
}: {
  connector: Connector;
  token: string;
  environment: Environment;
  onChanged: () => void;
}) {
  const [baseUrl, setBaseUrl] = useState(c.baseUrl ?? '');
  const [clientId, setClientId] = useState(c.credentials?.clientId ?? '');
  const [secret, setSecret] = useState('');
  const [reason, setReason] = useState('');
  const [busy, setBusy] = useState(false);
  const [errors, setErrors] = useState<readonly GqlError[]>([]);
  const [filed, setFiled] = useState<readonly Filed[]>([]);
  // The API has no `explain` for writing credentials (write:credentials is checked by the mutation itself, while
  // explainField on the mutation answers for its field rule only): the first refusal is shown with the API's own
  // reason and how to get access, and the credential actions stay disabled from then on. Nothing is guessed.
  const [credentialsDenied, setCredentialsDenied] = useState<string | null>(null);
  const [test, setTest] = useState<ConsoleTestConnectorMutation['testConnector'] | undefined>(undefined);
  const mayConfigure = usePermission(`setting:update:integration.${c.id}.baseUrl`, environment, token);
  const mayKey = useFieldPermission('Mutation', 'generateConnectorKey', token);
  const maySecret = useFieldPermission('Mutation', 'rotateConnectorSecret', token);
  // testConnector is for whoever may configure the connector: the gateway makes the check configureConnector makes
  // (an editor of its base URL in this environment), so the button asks the same explain as the configure form.
  const mayTest = mayConfigure;
  const idBase = `connector-${c.id}`;
  const why = () => reason.trim() || null;

  const run = async (fn: () => Promise<{ errors: readonly GqlError[]; changes: readonly Filed[] }>) => {
    setBusy(true);
    const r = await fn();
    setBusy(false);
    setErrors(r.errors);
    if (r.changes.length > 0) {
      setFiled(r.changes);
      onChanged();
    }
  };
  const configure = (e: FormEvent) => {
    e.preventDefault();
    void run(async () => {
      const r = await gql(
        ConfigureConnectorMutation,
        { input: { connectorId: c.id, environment, baseUrl: baseUrl.trim() || null, reason: why() } },
        token,
      );
      return { errors: r.errors, changes: r.data?.configureConnector?.changes ?? [] };
    });
  };
  const refusedCredentials = (errors: readonly GqlError[]) => {
    const forbidden = errors.find((e) => e.extensions?.code === 'FORBIDDEN');
    if (forbidden) setCredentialsDenied(describeError(forbidden));
    return forbidden ? [] : errors;
  };
  const generateKey = () =>
    void run(async () => {
      const r = await gql(GenerateConnectorKeyMutation, { id: c.id, environment, clientId: clientId.trim() || null, reason: why() }, token);
      const change = r.data?.generateConnectorKey?.change;
      return { errors: refusedCredentials(r.errors), changes: change ? [change] : [] };
    });
  const rotate = () =>
    void run(async () => {
      const r = await gql(
        RotateConnectorSecretMutation,
        { id: c.id, environment, secret, clientId: clientId.trim() || null, reason: why() },
        token,
      );
      setSecret('');
      const change = r.data?.rotateConnectorSecret?.change;
      return { errors: refusedCredentials(r.errors), changes: change ? [change] : [] };
    });
  const runTest = async () => {
    setBusy(true);
    const r = await gql(TestConnectorMutation, { id: c.id, environment }, token);
    setBusy(false);
    setErrors(r.errors);
    setTest(r.data?.testConnector);
  };
  const waiting = filed.some((f) => f.status !== 'APPLIED');

  return (
    <li className="card" data-testid={`connector-${c.id}`}>
      <h2 className="mono">
        {c.id}
        {c.stopped && <span className="badge status-rejected"> stopped</span>}
      </h2>
      <p>
        Base URL: <span className="mono">{c.baseUrl ?? 'not configured'}</span> · scopes:{' '}
        <span className="mono">{(c.scopes ?? []).join(' ') || 'none'}</span> · write-back {c.writeBackEnabled ? 'on' : 'off'}
      </p>
      <p data-testid="connector-credentials">
        Credentials:{' '}
        {c.credentials?.configured
          ? `${c.credentials.method ?? ''} as ` +
            `${c.credentials.clientId ?? '?'}${c.credentials.keyId ? `, key ${c.credentials.keyId.slice(0, 12)}…` : ''} (version ` +
            `${c.credentials.version})`
          : 'none'}
      </p>
      <FiledChanges changes={filed} />
      <div className="stack">
        <label htmlFor={`${idBase}-reason`}>Reason for a change</label>
        <input id={`${idBase}-reason`} value={reason} onChange={(e) => setReason(e.target.value)} autoComplete="off" />
      </div>
      <form className="form-grid" onSubmit={configure}>
        <label htmlFor={`${idBase}-url`}>FHIR base URL</label>
        <input id={`${idBase}-url`} value={baseUrl} onChange={(e) => setBaseUrl(e.target.value)} autoComplete="off" className="mono" />
        <span />
        <div>
          <button
            type="submit"
            disabled={busy || waiting || !mayConfigure.allowed}
            aria-describedby={mayConfigure.allowed ? undefined : `${idBase}-cannot-configure`}
          >
            Propose configuration
          </button>
          <Cannot id={`${idBase}-cannot-configure`} permission={mayConfigure} />
        </div>
      </form>
      <h3>Credentials</h3>
      <div className="form-grid">
        <label htmlFor={`${idBase}-client`}>Client id</label>
        <input id={`${idBase}-client`} value={clientId} onChange={(e) => setClientId(e.target.value)} autoComplete="off" />
        <span />
        <div>
          <button
            type="button"
            disabled={busy || waiting || !mayKey.allowed || credentialsDenied !== null}
            aria-describedby={credentialsDenied ? `${idBase}-cannot-credentials` : mayKey.allowed ? undefined : `${idBase}-cannot-key`}
            onClick={generateKey}
          >
            Generate key
          </button>
          <Cannot id={`${idBase}-cannot-key`} permission={mayKey} />
        </div>
        <label htmlFor={`${idBase}-secret`}>New client secret</label>
        <input
          id={`${idBase}-secret`}
          type="password"
          value={secret}
          onChange={(e) => setSecret(e.target.value)}
          autoComplete="new-password"
        />
        <span />
        <div>
          <button
            type="button"
            className="secondary"
            disabled={busy || waiting || !maySecret.allowed || secret === '' || credentialsDenied !== null}
            aria-describedby={maySecret.allowed ? undefined : `${idBase}-cannot-secret`}
            onClick={rotate}
          >
            Rotate secret
          </button>
          <Cannot id={`${idBase}-cannot-secret`} permission={maySecret} />
        </div>
      </div>
      {credentialsDenied && (
        <p className="cannot" id={`${idBase}-cannot-credentials`} data-testid={`${idBase}-cannot-credentials`}>
          {credentialsDenied}
        </p>
      )}
      <div className="action-row">
        <button
          type="button"
          className="secondary"
          disabled={busy || !mayTest.allowed}
          aria-describedby={mayTest.allowed ? undefined : `${idBase}-cannot-test`}
          onClick={() => void runTest()}
        >
          Test connection
        </button>
        <Cannot id={`${idBase}-cannot-test`} permission={mayTest} />
      </div>
      {test && (
        <div data-testid="connector-test">
          <p>
            {test.reachable ? 'Reachable' : 'Not reachable'}
            {test.authenticated ? ', authenticated' : ''}
            {test.fhirVersion ? `, FHIR ${test.fhirVersion}` : ''}
            {test.error ? ` (${test.error})` : ''}
          </p>
          <ol>
            {test.steps.map((s) => (
              <li key={s.name}>
                {s.name}: {s.outcome}
                {s.error ? ` (${s.error})` : ''}
              </li>
            ))}
          </ol>
        </div>
      )}
      <Errors errors={errors} />
    </li>
  );
}
