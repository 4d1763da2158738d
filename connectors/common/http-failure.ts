import { ConnectorError } from './connector-error.js';

// Turns whatever an HTTP client threw into a ConnectorError. The message names only the operation and the status:
// never the upstream body (an OperationOutcome or an HTML error page can echo PHI) and never the request URL (its
// query holds patient ids and search terms).

/** Socket-level failures that mean "nobody is answering there": the upstream is unavailable, not the request wrong. */
const NETWORK_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EPIPE',
  'UND_ERR_SOCKET',
  'UND_ERR_CLOSED',
  'UND_ERR_CONNECT_TIMEOUT',
]);

/**
 * What an HTTP client of ours throws on an answer it will not read (non-2xx): the status only, never the body, on
 * `response.status` where fhir-kit-client puts it, so httpStatusOf and toConnectorError read both the same way.
 */
export class HttpStatusError extends Error {
  constructor(readonly response: { status: number }) {
    super(`HTTP ${response.status}`);
  }
}

/** The HTTP status an error carries: fhir-kit-client puts it on `error.response.status`. */
function httpStatusOf(err: unknown): number | null {
  if (typeof err !== 'object' || err === null) return null;
  const response = (err as { response?: { status?: unknown } }).response;
  return typeof response?.status === 'number' ? response.status : null;
}

function isTimeout(err: unknown): boolean {
  if (typeof err !== 'object' || err === null) return false;
  const name = (err as { name?: unknown }).name;
  // AbortSignal.timeout() rejects with a DOMException named TimeoutError; a plain abort() with AbortError.
  return name === 'TimeoutError' || name === 'AbortError';
}

function networkCode(err: unknown): string | null {
  let current: unknown = err;
  // undici wraps the socket error: TypeError('fetch failed') with `cause` (sometimes nested twice).
  for (let depth = 0; depth < 4 && typeof current === 'object' && current !== null; depth++) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === 'string' && NETWORK_CODES.has(code)) return code;
    current = (current as { cause?: unknown }).cause;
  }
  return null;
}

/**
 * Classifies a failed upstream call. `operation` is a short, PHI-free label such as "Condition search".
 * 404 becomes NOT_FOUND (callers that read by id turn it into null); 409 and 412 CONFLICT; 408 and a deadline
 * TIMEOUT; 429, 5xx, unreadable answers and socket failures UNAVAILABLE; other 4xx REJECTED.
 */
export function toConnectorError(connector: string, operation: string, err: unknown): ConnectorError {
  if (err instanceof ConnectorError) return err;
  if (isTimeout(err)) {
    return new ConnectorError(connector, 'TIMEOUT', null, `${connector}: ${operation} timed out`);
  }
  const status = httpStatusOf(err);
  if (status !== null) {
    if (status === 408) return new ConnectorError(connector, 'TIMEOUT', status, `${connector}: ${operation} timed out upstream (HTTP 408)`);
    // Throttled upstream: retryable later, like an outage, not a bad request.
    if (status === 429) return new ConnectorError(connector, 'UNAVAILABLE', status, `${connector}: ${operation} was throttled (HTTP 429)`);
    if (status === 404) return new ConnectorError(connector, 'NOT_FOUND', status, `${connector}: ${operation} found nothing (HTTP 404)`);
    if (status === 409 || status === 412) {
      return new ConnectorError(connector, 'CONFLICT', status, `${connector}: ${operation} conflicted (HTTP ${status})`);
    }
    if (status >= 400 && status < 500) {
      return new ConnectorError(connector, 'REJECTED', status, `${connector}: ${operation} was rejected (HTTP ${status})`);
    }
    // 5xx, and a 2xx/3xx whose body was not JSON (fhir-kit-client throws with the status it got).
    return new ConnectorError(connector, 'UNAVAILABLE', status, `${connector}: ${operation} failed upstream (HTTP ${status})`);
  }
  const code = networkCode(err);
  return new ConnectorError(
    connector,
    'UNAVAILABLE',
    null,
    code ? `${connector}: ${operation} could not reach the server (${code})` : `${connector}: ${operation} failed`,
  );
}
