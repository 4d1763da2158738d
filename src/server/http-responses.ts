import type { ServerResponse } from 'node:http';
import type { ErrorCode } from '../errors/error-codes.js';

// Responses the gateway writes itself, outside Apollo (unknown route, body too large, body not JSON): the same
// shape and catalogue codes as GraphQL errors, so a client parses every refusal the same way.

const JSON_HEADERS = { 'content-type': 'application/json; charset=utf-8' } as const;

export function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  res.writeHead(status, { ...JSON_HEADERS, ...headers }).end(JSON.stringify(body));
}

export function sendError(
  res: ServerResponse,
  status: number,
  code: ErrorCode,
  message: string,
  extra: Record<string, unknown> = {},
  headers: Record<string, string> = {},
): void {
  sendJson(res, status, { errors: [{ message, extensions: { code, ...extra } }] }, headers);
}
