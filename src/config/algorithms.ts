// The only JWS algorithms Clearance accepts. Asymmetric only: with a symmetric algorithm (HS256) anyone holding the
// verification key could mint tokens, and accepting both families invites RS/HS key confusion.
// RFC 8725 section 3.1 (perform algorithm verification), section 3.2 (use appropriate algorithms).
const SUPPORTED_ALGORITHMS = ['ES256', 'RS256'] as const;

export type SupportedAlgorithm = (typeof SUPPORTED_ALGORITHMS)[number];

export function isSupportedAlgorithm(value: string): value is SupportedAlgorithm {
  return (SUPPORTED_ALGORITHMS as readonly string[]).includes(value);
}
