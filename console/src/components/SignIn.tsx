import { useEffect, useState, type FormEvent } from 'react';
import { loadOidcSettings, startSignIn, type OidcSettings } from '../oidc';
import { devTokenRoles, mintDevToken } from '../session';

// With OIDC_ISSUER/OIDC_CLIENT_ID: sign in at the organisation's identity provider (code flow with PKCE, oidc.ts).
// Embedded (dev) mode without an IdP: pick a role and the gateway mints a dev token. Always: paste a bearer token.
// Either way the token stays in this tab's session.

export function SignIn({ onToken, error }: { onToken: (token: string) => void; error: string | null }) {
  const [roles, setRoles] = useState<readonly string[] | null | undefined>(undefined);
  const [role, setRole] = useState('integration-engineer');
  const [sub, setSub] = useState('');
  const [mfa, setMfa] = useState(true);
  const [tenant, setTenant] = useState('acme');
  const [pasted, setPasted] = useState('');
  const [problem, setProblem] = useState<string | null>(null);

  const [oidc, setOidc] = useState<OidcSettings | null>(null);
  const [leaving, setLeaving] = useState(false);

  useEffect(() => {
    void devTokenRoles().then(setRoles);
    void loadOidcSettings().then(setOidc);
  }, []);

  const idp = async () => {
    if (!oidc) return;
    setProblem(null);
    setLeaving(true);
    try {
      await startSignIn(oidc);
    } catch (err) {
      setLeaving(false);
      setProblem(`The identity provider cannot be reached: ${(err as Error).message}`);
    }
  };

  const dev = async (e: FormEvent) => {
    e.preventDefault();
    setProblem(null);
    try {
      onToken(await mintDevToken({ role, sub: sub.trim() || `${role}-1`, mfa, tenant, departments: [] }));
    } catch (err) {
      setProblem(`No dev token: ${(err as Error).message}`);
    }
  };

  const paste = (e: FormEvent) => {
    e.preventDefault();
    const t = pasted.trim().replace(/^Bearer\s+/i, '');
    if (t) onToken(t);
  };

  return (
    <main id="main" className="page signin">
      <h1>Clearance approver console</h1>
      {(error || problem) && (
        <p role="alert" className="error">
          {error ?? problem}
        </p>
      )}
      {oidc && (
        <section aria-labelledby="idp-heading" className="card">
          <h2 id="idp-heading">Sign in with your organisation</h2>
          <p className="muted">
            You will sign in at <span className="mono">{new URL(oidc.issuer).host}</span> and come back here.
          </p>
          <button type="button" onClick={() => void idp()} disabled={leaving}>
            Sign in with identity provider
          </button>
        </section>
      )}
      {roles && (
        <section aria-labelledby="dev-heading" className="card">
          <h2 id="dev-heading">Development sign-in</h2>
          <p className="muted">Embedded mode only: the gateway mints a dev token for the role you pick. Production has no such route.</p>
          <form onSubmit={(e) => void dev(e)} className="form-grid">
            <label htmlFor="dev-role">Role</label>
            <select id="dev-role" value={role} onChange={(e) => setRole(e.target.value)}>
              {roles.map((r) => (
                <option key={r} value={r}>
                  {r}
                </option>
              ))}
            </select>
            <label htmlFor="dev-sub">User (sub)</label>
            <input id="dev-sub" value={sub} onChange={(e) => setSub(e.target.value)} placeholder={`${role}-1`} autoComplete="off" />
            <label htmlFor="dev-tenant">Tenant</label>
            <input id="dev-tenant" value={tenant} onChange={(e) => setTenant(e.target.value)} autoComplete="off" />
            <span />
            <label className="check">
              <input type="checkbox" checked={mfa} onChange={(e) => setMfa(e.target.checked)} /> Signed in with MFA
            </label>
            <span />
            <button type="submit">Sign in as {role}</button>
          </form>
        </section>
      )}
      <section aria-labelledby="paste-heading" className="card">
        <h2 id="paste-heading">Sign in with a token</h2>
        <p className="muted">
          Paste a bearer token from your identity provider. It is kept in this tab only (sessionStorage) and sent only to this gateway.
        </p>
        <form onSubmit={paste} className="stack">
          <label htmlFor="paste-token">Bearer token</label>
          <textarea
            id="paste-token"
            rows={4}
            value={pasted}
            onChange={(e) => setPasted(e.target.value)}
            spellCheck={false}
            autoComplete="off"
          />
          <div>
            <button type="submit" disabled={!pasted.trim()}>
              Use token
            </button>
          </div>
        </form>
      </section>
    </main>
  );
}
