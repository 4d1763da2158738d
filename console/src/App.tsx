import { useCallback, useEffect, useState } from 'react';
import { failureOf, gql, SESSION_EXPIRED_EVENT, type Failure } from './api';
import { FailureState } from './components/States';
import { ChangeDetail } from './components/ChangeDetail';
import { AuditView } from './components/AuditView';
import { Inbox } from './components/Inbox';
import { SettingsView } from './components/SettingsView';
import { SignIn } from './components/SignIn';
import type { ConsoleMeQuery } from './gql/graphql';
import { MeQuery } from './operations';
import { clearToken, loadToken, rememberPage, saveToken, takeRememberedPage } from './session';

export type Me = ConsoleMeQuery['me'];

type Route = { view: 'inbox' } | { view: 'change'; id: string } | { view: 'settings' } | { view: 'audit' };

function parseRoute(hash: string): Route {
  const [, view, id] = hash.replace(/^#/, '').split('/');
  if (view === 'change' && id) return { view: 'change', id: decodeURIComponent(id) };
  if (view === 'settings') return { view: 'settings' };
  if (view === 'audit') return { view: 'audit' };
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
];

export function App() {
  const route = useRoute();
  const [token, setToken] = useState<string | null>(() => loadToken());
  const [me, setMe] = useState<Me | null>(null);
  const [signInError, setSignInError] = useState<string | null>(null);
  const [meFailure, setMeFailure] = useState<Failure | null>(null);
  const [meTick, setMeTick] = useState(0);

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

  useEffect(() => {
    if (!token) return;
    let live = true;
    setMeFailure(null);
    void gql(MeQuery, {}, token).then((r) => {
      if (!live) return;
      if (r.data?.me) setMe(r.data.me);
      // A gateway that is down or failing says nothing about the token: keep it, say so, retry.
      else if (r.httpStatus === 0 || r.httpStatus >= 500) setMeFailure(failureOf(r, 'me'));
      else signOut(r.unauthenticated ? 'The token was not accepted (expired, or not signed by this gateway’s identity provider).' : (r.errors[0]?.message ?? 'Sign-in failed.'));
    });
    return () => {
      live = false;
    };
  }, [token, signOut, meTick]);

  const signIn = (t: string) => {
    saveToken(t);
    const back = takeRememberedPage();
    if (back) location.hash = back;
    setSignInError(null);
    setToken(t);
  };

  if (!token) return <SignIn onToken={signIn} error={signInError} />;
  if (!me && meFailure) return <main className="page"><FailureState failure={meFailure} what="your session" retry={() => setMeTick((t) => t + 1)} /></main>;
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
      </main>
    </>
  );
}
