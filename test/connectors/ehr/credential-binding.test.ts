import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { calculateJwkThumbprint, exportJWK, generateKeyPair } from 'jose';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { ConnectorError } from '../../../connectors/common/connector-error.js';
import { SmartTokenSource, type ConnectorCredential } from '../../../connectors/ehr/client/smart-token-source.js';

// A connector credential goes only to the origin it was set for (README "Connectors that authenticate like real EHR
// integrations"). Every way a base URL or a token endpoint could lead it elsewhere is enumerated below, for both
// methods: another port, another scheme, another host (an https one too), a credential bound to nothing, discovery
// redirected, a plain-http token endpoint off the origin, a token endpoint that redirects. Each is
// CREDENTIALS_NOT_BOUND and the other host receives nothing; the bound origin alone gets the credential.

interface Seen {
  readonly method: string;
  readonly url: string;
  readonly authorization: string | null;
  readonly body: string;
}

/** A tiny HTTP server that records every request; `route` answers it. */
type Answer = { status: number; headers?: Record<string, string>; body?: unknown };
async function recorder(route: (req: IncomingMessage, self: string) => Answer) {
  const seen: Seen[] = [];
  let self = '';
  const server: Server = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => {
      seen.push({ method: req.method ?? '', url: req.url ?? '', authorization: req.headers.authorization ?? null, body });
      const answer = route(req, self);
      res.writeHead(answer.status, { 'content-type': 'application/json', ...answer.headers });
      res.end(answer.body === undefined ? '' : JSON.stringify(answer.body));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  self = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return { seen, url: self, stop: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

type Recorder = Awaited<ReturnType<typeof recorder>>;
let legit: Recorder;
let attacker: Recorder;
const TOKEN = { access_token: 'token-value-0123456789', token_type: 'bearer', expires_in: 300 };

beforeAll(async () => {
  // The attacker's host answers discovery with its own token endpoint and takes whatever is posted there.
  attacker = await recorder((req, self) =>
    req.url?.endsWith('/.well-known/smart-configuration')
      ? { status: 200, body: { token_endpoint: `${self}/token` } }
      : { status: 200, body: TOKEN },
  );
  legit = await recorder((req, self) => {
    const url = req.url ?? '';
    if (url === '/fhir/.well-known/smart-configuration') return { status: 200, body: { token_endpoint: `${self}/token` } };
    if (url === '/redirected/.well-known/smart-configuration')
      return { status: 302, headers: { location: `${attacker.url}/fhir/.well-known/smart-configuration` } };
    if (url === '/plain-elsewhere/.well-known/smart-configuration')
      return { status: 200, body: { token_endpoint: `${attacker.url}/token` } };
    if (url === '/token-redirects/.well-known/smart-configuration')
      return { status: 200, body: { token_endpoint: `${self}/token-redirects/token` } };
    if (url === '/token-redirects/token') return { status: 307, headers: { location: `${attacker.url}/token` } };
    if (url === '/token') return { status: 200, body: TOKEN };
    return { status: 404 };
  });
});
afterAll(async () => {
  await legit.stop();
  await attacker.stop();
});
afterEach(() => vi.restoreAllMocks());

async function credentials(boundOrigin: string | null): Promise<Record<'client_secret_basic' | 'private_key_jwt', ConnectorCredential>> {
  const { privateKey, publicKey } = await generateKeyPair('ES384', { extractable: true });
  const kid = await calculateJwkThumbprint(await exportJWK(publicKey));
  return {
    client_secret_basic: { method: 'client_secret_basic', clientId: 'gw', secret: 'canary-secret-bound-77', boundOrigin },
    private_key_jwt: { method: 'private_key_jwt', clientId: 'gw', kid, alg: 'ES384', privateJwk: await exportJWK(privateKey), boundOrigin },
  };
}

const source = (baseUrl: string, credential: ConnectorCredential) =>
  new SmartTokenSource({ connector: 'ehr', baseUrl, credential, scopes: ['system/*.rs'] });

/** Each way the credential could be led away from its origin: the base URL asked for, and the origin it is bound to. */
const LED_AWAY: readonly { readonly name: string; readonly base: () => string; readonly bound: () => string | null }[] = [
  {
    name: 'the base URL moved to another port (another origin on the same host)',
    base: () => `${attacker.url}/fhir`,
    bound: () => legit.url,
  },
  { name: 'the base URL moved to any https host', base: () => 'https://ehr-attacker.example/fhir', bound: () => legit.url },
  {
    name: 'the same host and port over another scheme',
    base: () => `${legit.url}/fhir`,
    bound: () => legit.url.replace('http:', 'https:'),
  },
  {
    name: 'another host name for the same address',
    base: () => `${legit.url.replace('127.0.0.1', 'localhost')}/fhir`,
    bound: () => legit.url,
  },
  { name: 'a credential bound to no destination (set before binding)', base: () => `${legit.url}/fhir`, bound: () => null },
  { name: 'discovery on the bound origin redirects to another host', base: () => `${legit.url}/redirected`, bound: () => legit.url },
  {
    name: 'discovery names a plain-http token endpoint off the origin',
    base: () => `${legit.url}/plain-elsewhere`,
    bound: () => legit.url,
  },
  { name: 'the token endpoint redirects to another host', base: () => `${legit.url}/token-redirects`, bound: () => legit.url },
];

describe('a connector credential is sent only to the origin it was set for', () => {
  for (const method of ['client_secret_basic', 'private_key_jwt'] as const) {
    for (const c of LED_AWAY) {
      it(`${method}: ${c.name}: CREDENTIALS_NOT_BOUND, nothing reaches the other host`, async () => {
        const credential = (await credentials(c.bound()))[method];
        const fetchSpy = vi.spyOn(globalThis, 'fetch');
        const before = attacker.seen.length;
        const legitBefore = legit.seen.length;
        const e = await source(c.base(), credential).token(AbortSignal.timeout(5_000)).catch((x: unknown) => x);
        expect(e).toBeInstanceOf(ConnectorError);
        expect((e as ConnectorError).kind).toBe('CREDENTIALS_NOT_BOUND');
        expect((e as ConnectorError).message).toMatch(/nothing was sent$/);
        expect(attacker.seen.slice(before)).toEqual([]);
        // Off the bound origin nothing at all is fetched; on it, the secret never left with anything but a POST to itself.
        const urls = fetchSpy.mock.calls.map(([u]) => String(u));
        expect(urls.every((u) => u.startsWith(legit.url)), urls.join(' ')).toBe(true);
        const carried = legit.seen.slice(legitBefore).filter((s) => s.authorization || s.body.includes('client_assertion='));
        const where = carried.map((s) => s.url);
        expect(where.every((u) => u === '/token-redirects/token')).toBe(true);
      });
    }

    it(`${method}: on the bound origin, the credential reaches its own token endpoint (and only it)`, async () => {
      const credential = (await credentials(legit.url))[method];
      const before = { legit: legit.seen.length, attacker: attacker.seen.length };
      expect(await source(`${legit.url}/fhir`, credential).token(AbortSignal.timeout(5_000))).toBe(TOKEN.access_token);
      expect(legit.seen.slice(before.legit).map((s) => `${s.method} ${s.url}`)).toEqual([
        'GET /fhir/.well-known/smart-configuration',
        'POST /token',
      ]);
      const post = legit.seen.at(-1)!;
      const sent = method === 'client_secret_basic' ? post.authorization?.startsWith('Basic ') : post.body.includes('client_assertion=');
      expect(sent).toBe(true);
      expect(attacker.seen.length).toBe(before.attacker);
    });
  }
});
