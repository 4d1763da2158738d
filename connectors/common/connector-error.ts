// Errors from any connector carry a kind and the connector's name, never the upstream response body: a FHIR
// server's OperationOutcome or an HTML error page can echo PHI or internals.

// UNAUTHORIZED: the upstream refused the connector's own credentials (token endpoint or a 401 after one refresh):
// a configuration problem for an integration engineer, neither retried nor counted as an outage.
// CREDENTIALS_NOT_BOUND: the connector would have to send its credentials somewhere other than the origin they were
// set for (its base URL changed since, or the token endpoint is not trusted): nothing was sent. Only a holder of
// `write` on credentials can fix it, by setting them again for the new destination; neither retried nor an outage.
export type ConnectorErrorKind =
  'UNAVAILABLE' | 'TIMEOUT' | 'REJECTED' | 'CONFLICT' | 'NOT_FOUND' | 'UNAUTHORIZED' | 'CREDENTIALS_NOT_BOUND';

export class ConnectorError extends Error {
  override readonly name = 'ConnectorError';
  constructor(
    readonly connector: string,
    readonly kind: ConnectorErrorKind,
    /** Upstream HTTP status when there was one; never the body. */
    readonly status: number | null,
    message: string,
  ) {
    super(message);
  }
}
