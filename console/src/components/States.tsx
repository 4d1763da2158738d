import type { Failure } from '../api';
import { Locked } from './Badges';

// The honest states every page shares: each one looks and reads differently, so a gateway that is down never
// passes for an empty queue and a 502 never for a missing change.

export function Loading({ what }: { what: string }) {
  return <p role="status" className="state loading" aria-busy="true" data-testid="state-loading">Loading {what}…</p>;
}

export function Empty({ children }: { children: React.ReactNode }) {
  return <p role="status" className="state empty" data-testid="state-empty">{children}</p>;
}

export function FailureState({ failure, what, retry }: { failure: Failure; what: string; retry?: () => void }) {
  switch (failure.kind) {
    case 'forbidden':
      return <div data-testid="state-forbidden"><Locked title={what} reason={failure.reason} /></div>;
    case 'session-expired':
      return (
        <p role="alert" className="state error" data-testid="state-session-expired">
          Your session expired. Sign in again to continue here.
        </p>
      );
    case 'unreachable':
      return (
        <div role="alert" className="state error" data-testid="state-unreachable">
          <h2>The gateway cannot be reached</h2>
          <p>
            Nothing was loaded, so nothing here is known: not {what}, not whether anything is pending. Check the connection and try again.
          </p>
          {retry && (
            <button type="button" className="secondary" onClick={retry}>
              Try again
            </button>
          )}
        </div>
      );
    case 'refused':
      return (
        <div role="alert" className="state error" data-testid="state-refused">
          <h2>The gateway refused the request</h2>
          <p>{failure.message}</p>
        </div>
      );
    case 'gateway':
      return (
        <div role="alert" className="state error" data-testid="state-gateway-error">
          <h2>The gateway failed to answer{failure.status ? ` (HTTP ${failure.status})` : ''}</h2>
          <p>This is an error on the server side, not an answer about {what}. Try again in a moment.</p>
          {retry && <button type="button" className="secondary" onClick={retry}>Try again</button>}
        </div>
      );
  }
}
