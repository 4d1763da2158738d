import { useCallback, useEffect, useState } from 'react';
import { gql, setUnauthenticatedHandler } from './api';
import { ChangeDetail } from './components/ChangeDetail';
import { AuditView } from './components/AuditView';
import { Inbox } from './components/Inbox';
import { SettingsView } from './components/SettingsView';
import { SignIn } from './components/SignIn';
import { AccessReviewPage } from './pages/AccessReviewPage';
import { ConnectorsPage } from './pages/ConnectorsPage';
import { DeliveryLogPage } from './pages/DeliveryLogPage';
import { EmergencyStopsPage } from './pages/EmergencyStopsPage';
import { PolicyVersionsPage } from './pages/PolicyVersionsPage';
import { SettingHistoryPage } from './pages/SettingHistoryPage';
import type { ConsoleMeQuery } from './gql/graphql';
import { MeQuery } from './operations';
import { completeSignIn, isCallback, loadOidcSettings, rememberPage, takeRememberedPage } from './oidc';
import { clearToken, loadToken, saveToken } from './session';

export type Me = ConsoleMeQuery['me'];

type Route = { view: 'inbox' } | { view: 'change'; id: string } | { view: 'settings' } | { view: 'audit' }
  | { view: 'stops' } | { view: 'history'; key: string } | { view: 'deliveries' } | { view: 'access-review' } | { view: 'policy' } | { view: 'connectors' };

function parseRoute(hash: string): Route {
  const [, view, id] = hash.replace(/^#/, '').split('/');
  if (view === 'change' && id) return { view: 'change', id: decodeURIComponent(id) };
  if (view === 'settings') return { view: 'settings' };
  if (view === 'audit') return { view: 'audit' };
  if (view === 'stops') return { view: 'stops' };
  if (view === 'history') return { view: 'history', key: id ? decodeURIComponent(id) : '' };
  if (view === 'deliveries') return { view: 'deliveries' };
  if (view === 'access-review') return { view: 'access-review' };
  if (view === 'policy') return { view: 'policy' };
  if (view === 'connectors') return { view: 'connectors' };
  return { view: 'inbox' };
}

function useRoute(): Route {
  const [route, setRoute] = useState(() => parseRoute(location.hash));
  useEffect(() => {
    const onHash = () => setRoute(parseRoute(location.hash));
    addEventListener('hashchange', onHash);
    return () => removeEventListener('hashchange', onHash);
  }, []);
  return route;
}

const NAV: { view: Route['view']; href: string; text: string }[] = [
  { view: 'inbox', href: '#/inbox', text: 'Approvals' },
  { view: 'settings', href: '#/settings', text: 'Settings' },
  { view: 'audit', href: '#/audit', text: 'Audit' },
  { view: 'connectors', href: '#/connectors', text: 'Connectors' },
  { view: 'stops', href: '#/stops', text: 'Emergency stops' },
  { view: 'history', href: '#/history', text: 'History' },
  { view: 'deliveries', href: '#/deliveries', text: 'Deliveries' },
  { view: 'access-review', href: '#/access-review', text: 'Access review' },
  { view: 'policy', href: '#/policy', text: 'Policy' },
];

export function App() {
  const route = useRoute();
  const [token, setToken] = useState<string | null>(() => loadToken());
  const [me, setMe] = useState<Me | null>(null);
  const [signInError, setSignInError] = useState<string | null>(null);
  const [returning, setReturning] = useState(() => isCallback());

  const signOut = useCallback((why: string | null = null) => {
    clearToken();
    setToken(null);
    setMe(null);
    setSignInError(why);
  }, []);

  // A 401 from any request: the session is over; back to sign-in, and back to this page after it.
  useEffect(() => {
    setUnauthenticatedHandler(() => {
      rememberPage(location.hash);
      signOut('Your session has expired. Sign in again to continue where you were.');
    });
    return () => setUnauthenticatedHandler(null);
  }, [signOut]);

  // Coming back from the identity provider with ?code=…&state=…
  useEffect(() => {
    if (!returning) return;
    void (async () => {
      const settings = await loadOidcSettings();
      try {
        if (!settings) throw new Error('This gateway has no identity provider configured.');
        const t = await completeSignIn(settings);
        saveToken(t);
        setSignInError(null);
        setToken(t);
      } catch (error) {
        setSignInError((error as Error).message);
      } finally {
        setReturning(false);
      }
    })();
  }, [returning]);

  useEffect(() => {
    if (!token) return;
    let live = true;
    void gql(MeQuery, {}, token).then((r) => {
      if (!live) return;
      if (r.data?.me) setMe(r.data.me);
      else signOut(r.unauthenticated ? 'The token was not accepted (expired, or not signed by this gateway’s identity provider).' : (r.errors[0]?.message ?? 'Sign-in failed.'));
    });
    return () => {
      live = false;
    };
  }, [token, signOut]);

  const signIn = (t: string) => {
    const back = takeRememberedPage();
    if (back) location.hash = back;
    saveToken(t);
    setSignInError(null);
    setToken(t);
  };

  if (returning) return <main className="page" aria-busy="true"><p role="status">Signing in…</p></main>;
  if (!token) return <SignIn onToken={signIn} error={signInError} />;
  if (!me) return <main className="page" aria-busy="true"><p role="status">Signing in…</p></main>;

  const active = route.view === 'change' ? 'inbox' : route.view;
  return (
    <>
      <a className="skip" href="#main">Skip to content</a>
      <header className="top">
        <div className="brand">Clearance <span>approver console</span></div>
        <nav aria-label="Console">
          {NAV.map((n) => (
            <a key={n.view} href={n.href} aria-current={active === n.view ? 'page' : undefined}>{n.text}</a>
          ))}
        </nav>
        <div className="who" data-testid="signed-in-as">
          <span className="sub">{me.sub}</span>
          <span>{me.roles.join(', ')}</span>
          <span className={me.mfa ? 'pill ok' : 'pill'}>{me.mfa ? 'MFA' : 'no MFA'}</span>
          <span>{me.tenant}</span>
          <button type="button" className="link" onClick={() => signOut()}>Sign out</button>
        </div>
      </header>
      <main id="main" className="page" tabIndex={-1}>
        {route.view === 'inbox' && <Inbox token={token} />}
        {route.view === 'change' && <ChangeDetail key={route.id} id={route.id} token={token} me={me} />}
        {route.view === 'settings' && <SettingsView token={token} />}
        {route.view === 'audit' && <AuditView token={token} />}
        {route.view === 'stops' && <EmergencyStopsPage token={token} />}
        {route.view === 'history' && <SettingHistoryPage key={route.key} token={token} initialKey={route.key} />}
        {route.view === 'deliveries' && <DeliveryLogPage token={token} />}
        {route.view === 'access-review' && <AccessReviewPage token={token} />}
        {route.view === 'policy' && <PolicyVersionsPage token={token} />}
        {route.view === 'connectors' && <ConnectorsPage token={token} />}
      </main>
    </>
  );
}
