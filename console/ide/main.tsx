import 'graphiql/setup-workers/vite';
import 'graphiql/style.css';
import './ide.css';
import { GraphiQL } from 'graphiql';
import { StrictMode, useEffect, useMemo, useState } from 'react';
import { createRoot } from 'react-dom/client';
import { GRAPHQL_URL } from '../src/api';
import { clearToken, devTokenRoles, loadToken, mintDevToken, saveToken } from '../src/session';

// GraphiQL served by the gateway at /graphql for browsers (issue 14): bundled here, nothing from another origin.
// The token comes from the console's session code: the dev role picker in embedded mode, or a pasted token; it is
// kept in this tab's sessionStorage like the console's and sent only to /graphql.

type Fetcher = Parameters<typeof GraphiQL>[0]['fetcher'];

function fetcherFor(token: string | null): Fetcher {
  return async (params) => {
    const r = await fetch(GRAPHQL_URL, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
      body: JSON.stringify(params),
      credentials: 'omit',
      cache: 'no-store',
    });
    return (await r.json()) as Record<string, unknown>;
  };
}

function TokenBar({ token, onToken }: { token: string | null; onToken: (t: string | null) => void }) {
  const [roles, setRoles] = useState<readonly string[] | null>(null);
  const [role, setRole] = useState('security-admin');
  const [sub, setSub] = useState('dev-user');
  const [departments, setDepartments] = useState('');
  const [pasted, setPasted] = useState('');
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    void devTokenRoles().then(setRoles);
  }, []);
  const signIn = async () => {
    setError(null);
    try {
      const deps = departments.split(',').map((d) => d.trim()).filter((d) => d !== '');
      onToken(await mintDevToken({ role, sub, mfa: true, tenant: 'acme', departments: deps }));
    } catch (e) {
      setError(e instanceof Error ? e.message : String(e));
    }
  };
  return (
    <form className="token-bar" onSubmit={(e) => e.preventDefault()}>
      <strong>Clearance</strong>
      {roles ? (
        <>
          <label>
            Role{' '}
            <select value={role} onChange={(e) => setRole(e.target.value)}>
              {roles.map((r) => (
                <option key={r}>{r}</option>
              ))}
            </select>
          </label>
          <label>
            User (sub) <input value={sub} onChange={(e) => setSub(e.target.value)} size={12} />
          </label>
          <label>
            Departments <input value={departments} onChange={(e) => setDepartments(e.target.value)} placeholder="cardiology" size={12} />
          </label>
          <button type="button" onClick={() => void signIn()}>
            Use a dev token as {role}
          </button>
        </>
      ) : (
        <>
          <label>
            Bearer token <input type="password" value={pasted} onChange={(e) => setPasted(e.target.value)} size={30} />
          </label>
          <button type="button" onClick={() => onToken(pasted.trim() || null)}>
            Use token
          </button>
        </>
      )}
      <span data-testid="ide-signed-in">{token ? 'token set' : 'no token'}</span>
      {token ? (
        <button type="button" onClick={() => onToken(null)}>
          Sign out
        </button>
      ) : null}
      {error ? <span role="alert">{error}</span> : null}
    </form>
  );
}

function Ide() {
  const [token, setToken] = useState<string | null>(() => loadToken());
  const fetcher = useMemo(() => fetcherFor(token), [token]);
  const onToken = (t: string | null) => {
    if (t) saveToken(t);
    else clearToken();
    setToken(t);
  };
  return (
    <div className="ide">
      <TokenBar token={token} onToken={onToken} />
      <div className="ide-main">
        {/* Keyed by token: a new token reloads the schema with the new caller's introspection rights. */}
        <GraphiQL
          key={token ?? 'none'}
          fetcher={fetcher}
          defaultQuery={'# Pick a role above, then run:\n{\n  me {\n    sub\n    roles\n  }\n}\n'}
        />
      </div>
    </div>
  );
}

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <Ide />
  </StrictMode>,
);
