// Raw HTTP for the attack suite: attacks are not well-formed GraphQL clients, so they are sent as bytes, and the
// answer is kept as text (for greps) and parsed when it is JSON.

export interface RawResponse {
  readonly status: number;
  readonly headers: Headers;
  readonly text: string;
  readonly json: { data?: unknown; errors?: { message: string; extensions?: Record<string, unknown> }[] } | null;
}

export async function send(url: string, init: RequestInit): Promise<RawResponse> {
  const res = await fetch(url, init);
  const text = await res.text();
  let json: RawResponse['json'] = null;
  try {
    json = JSON.parse(text) as RawResponse['json'];
  } catch {
    json = null;
  }
  return { status: res.status, headers: res.headers, text, json };
}

export function postJson(url: string, token: string | null, body: unknown, headers: Record<string, string> = {}): Promise<RawResponse> {
  return send(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}), ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
}

export function codesOf(r: RawResponse): string[] {
  return (r.json?.errors ?? []).map((e) => String(e.extensions?.code));
}

export function reasonsOf(r: RawResponse): string[] {
  return (r.json?.errors ?? []).map((e) => String(e.extensions?.reason ?? ''));
}
