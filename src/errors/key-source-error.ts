// The token signing key source is broken (a remote JWKS that is down, times out, redirects or serves garbage or
// private keys): our problem, not the caller's 401. Thrown by src/auth/guard-key-getter.ts; src/auth/map-verify-error.ts
// maps it to UPSTREAM_UNAVAILABLE (connector "jwks").

export class KeySourceError extends Error {
  override readonly name = 'KeySourceError';
  constructor(
    readonly kind: 'timeout' | 'unavailable',
    options: { cause: unknown },
  ) {
    super(`The token signing key source is ${kind === 'timeout' ? 'timing out' : 'unavailable'}.`, options);
  }
}
