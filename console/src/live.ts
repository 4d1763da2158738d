import { createClient, type Client } from 'graphql-ws';
import { useEffect, useRef, useState } from 'react';
import type { TypedDocumentString } from './gql/graphql';

// Live updates over graphql-ws at /graphql/ws on this origin (the CSP's connect-src 'self' covers it). The token goes in
// connection_init. Events carry ids only: a page that hears one re-reads what it shows over POST /graphql, so the
// field rules are those of the query. Delivery is not replayed: on every (re)connect the page re-reads too.

const clients = new Map<string, Client>();

function clientFor(token: string): Client {
  let client = clients.get(token);
  if (!client) {
    for (const [t, c] of clients) {
      void c.dispose();
      clients.delete(t);
    }
    const url = `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/graphql/ws`;
    client = createClient({ url, connectionParams: { authorization: `Bearer ${token}` }, lazy: true, retryAttempts: 5 });
    clients.set(token, client);
  }
  return client;
}

/**
 * Runs onEvent for every event of the subscription (and onEvent(null) on every connect) while mounted; says whether the
 * socket is connected (shown to people as "Live", and to tests as data-live).
 */
export function useLive<R>(
  document: TypedDocumentString<R, Record<string, never>>,
  token: string,
  onEvent: (data: R | null) => void,
  skip = false,
): boolean {
  const handler = useRef(onEvent);
  handler.current = onEvent;
  const [connected, setConnected] = useState(false);
  useEffect(() => {
    if (skip) return;
    const client = clientFor(token);
    const offConnected = client.on('connected', () => {
      setConnected(true);
      handler.current(null);
    });
    const offClosed = client.on('closed', () => setConnected(false));
    const hash = (document as { __meta__?: { hash?: string } }).__meta__?.hash;
    const stop = client.subscribe<R>(
      { query: document.toString(), ...(hash ? { extensions: { persistedQuery: { version: 1, sha256Hash: hash } } } : {}) },
      {
        next: (r) => r.data && handler.current(r.data as R),
        error: () => undefined,
        complete: () => undefined,
      },
    );
    return () => {
      stop();
      offConnected();
      offClosed();
      setConnected(false);
    };
  }, [document, token, skip]);
  return connected;
}
