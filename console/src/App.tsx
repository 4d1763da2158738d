import { useCallback, useEffect, useState } from 'react';
import { failureOf, gql, SESSION_EXPIRED_EVENT, type Failure } from './api';
import { FailureState } from './components/States';
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
import { clearToken, loadToken, rememberPage, saveToken, takeRememberedPage } from './session';
import { completeSignIn, isCallback, loadOidcSettings } from './oidc';

export type Me = ConsoleMeQuery['me'];

type Route =
  | { view: 'inbox' }
  | { view: 'change'; id: string }
  | { view: 'settings' }
  | { view: 'audit' }
  | { view: 'stops' }
  | { view: 'history'; key: string }
  | { view: 'deliveries' }
  | { view: 'access-review' }
  | { view: 'policy' }
  | { view: 'connectors' };

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
  const [meFailure, setMeFailure] = useState<Failure | null>(null);
  const [meTick, setMeTick] = useState(0);
  const [returning, setReturning] = useState(() => isCallback());

  const signOut = useCallback((why: string | null = null) => {
    clearToken();
    setToken(null);
    setMe(null);
    setSignInError(why);
  }, []);

  // Session expired (any 401): back to sign-in, remembering the page to return to after it.
  useEffect(() => {
    const onExpired = () => {
      if (!loadToken()) return;
      rememberPage(location.hash);
      signOut('Your session expired. Sign in again to return to the page you were on.');
    };
    addEventListener(SESSION_EXPIRED_EVENT, onExpired);
    return () => removeEventListener(SESSION_EXPIRED_EVENT, onExpired);
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
    setMeFailure(null);
    void gql(MeQuery, {}, token).then((r) => {
      if (!live) return;
      if (r.data?.me) setMe(r.data.me);
      // A gateway that is down or failing says nothing about the token: keep it, say so, retry.
      else if (r.httpStatus === 0 || r.httpStatus >= 500) setMeFailure(failureOf(r, 'me'));
      else
        signOut(
          r.unauthenticated
            ? 'The token was not accepted (expired, or not signed by this gateway’s identity provider).'
            : (r.errors[0]?.message ?? 'Sign-in failed.'),
        );
    });
    return () => {
      live = false;
    };
  }, [token, signOut, meTick]);

  const signIn = (t: string) => {
    const back = takeRememberedPage();
    if (back) location.hash = back;
    saveToken(t);
    setSignInError(null);
    setToken(t);
  };

  if (returning) return <main className="page" aria-busy="true"><p role="status">Signing in…</p></main>;
  if (!token) return <SignIn onToken={signIn} error={signInError} />;
  if (!me && meFailure)
    return (
      <main className="page">
        <FailureState failure={meFailure} what="your session" retry={() => setMeTick((t) => t + 1)} />
      </main>
    );
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
        {route.view === 'inbox' && <Inbox token={token} me={me} />}
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
