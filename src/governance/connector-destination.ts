// Where a connector may never be pointed, whoever configures it and in every environment: link-local addresses
// (169.254.0.0/16, fe80::/10) and the cloud instance-metadata services (169.254.169.254, fd00:ec2::254,
// 100.100.100.200, metadata.google.internal, metadata.goog, `metadata`). A base URL there would turn the gateway's
// own requests (testConnector, reads, writes) against the host it runs on: instance credentials, or a scan of its
// network. The host is read as the WHATWG URL parser (the one fetch uses) normalizes it, so every spelling of an
// address is the address:
// `0xa9fea9fe`, `2852039166`, `0251.0376.0251.0376` and `[::ffff:169.254.169.254]` are all 169.254.169.254, and
// `METADATA.google.internal.` is metadata.google.internal. Loopback stays allowed: the embedded FHIR server listens
// on 127.0.0.1. A DNS name that resolves to such an address is not seen here (nothing is resolved).

/** The stable words of the refusal (a problem's message; configureConnector and testConnector add the reason below). */
export const DESTINATION_REFUSED = 'must not be a link-local or cloud metadata address';
/** The stable reason of a BAD_USER_INPUT refusing such a base URL (configureConnector, testConnector). */
export const DESTINATION_REASON = 'DESTINATION_NOT_ALLOWED';

// metadata.goog: Google's other name for its metadata server; 100.100.100.200: Alibaba Cloud's metadata service (in
// the shared address space 100.64.0.0/10, which is otherwise a carrier's, so only that one address is refused).
const METADATA_HOSTS = new Set(['metadata.google.internal', 'metadata.goog', 'metadata']);
const METADATA_QUADS = new Set(['100.100.100.200']);

function dottedQuad(host: string): number[] | null {
  const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(host);
  return m ? m.slice(1).map(Number) : null;
}

const refused4 = (q: readonly number[]) => (q[0] === 169 && q[1] === 254) || METADATA_QUADS.has(q.join('.'));

/** The eight groups of an IPv6 address as the URL parser writes it (compressed, hex, no dotted tail); null otherwise. */
function groups6(host: string): number[] | null {
  if (!/^[0-9a-f:]+$/.test(host)) return null;
  const [head, tail, ...rest] = host.split('::');
  if (rest.length > 0) return null;
  const part = (s: string | undefined) => (s ? s.split(':').map((g) => parseInt(g, 16)) : []);
  const left = part(head);
  const right = part(tail);
  const zeros = tail === undefined ? 0 : 8 - left.length - right.length;
  const all = [...left, ...Array<number>(Math.max(zeros, 0)).fill(0), ...right];
  return all.length === 8 && all.every((g) => Number.isInteger(g) && g >= 0 && g <= 0xffff) ? all : null;
}

function refusedHost(hostname: string): boolean {
  const host = hostname.toLowerCase().replace(/\.$/, '');
  if (METADATA_HOSTS.has(host)) return true;
  const quad = dottedQuad(host);
  if (quad) return refused4(quad);
  if (!host.startsWith('[') || !host.endsWith(']')) return false;
  const g = groups6(host.slice(1, -1));
  if (!g) return false;
  if ((g[0]! & 0xffc0) === 0xfe80) return true; // fe80::/10
  if (g.join(':') === [0xfd00, 0xec2, 0, 0, 0, 0, 0, 0x254].join(':')) return true; // AWS IMDS over IPv6
  // An IPv4 address carried in the last 32 bits of IPv6 is that address where a translator may turn it back: mapped
  // (::ffff:0:0/96), compatible (::/96), SIIT translated (::ffff:0:0:0/96, RFC 6145), NAT64's well-known prefix
  // (64:ff9b::/96, RFC 6052) and its local-use prefix (64:ff9b:1::/48, RFC 8215).
  const embeds4 =
    (g.slice(0, 5).every((x) => x === 0) && (g[5] === 0xffff || g[5] === 0)) ||
    (g.slice(0, 4).every((x) => x === 0) && g[4] === 0xffff && g[5] === 0) ||
    (g[0] === 0x64 && g[1] === 0xff9b && g.slice(2, 6).every((x) => x === 0)) ||
    (g[0] === 0x64 && g[1] === 0xff9b && g[2] === 1);
  return embeds4 && refused4([g[6]! >> 8, g[6]! & 0xff, g[7]! >> 8, g[7]! & 0xff]);
}

/** True when the URL points at a link-local or metadata host (false for anything unparsable: other checks say so). */
export function isRefusedDestination(url: string): boolean {
  return URL.canParse(url) && refusedHost(new URL(url).hostname);
}
