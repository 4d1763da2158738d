// The verified caller, as the policy kernel sees it. Built only from a verified JWT (src/auth/verify-token.ts):
// nothing about identity ever comes from GraphQL arguments or input fields. Defined here, in rules/, because the
// kernel imports nothing from src/; src/auth/principal.ts re-exports it.

export type PrincipalKind = 'user' | 'agent' | 'service';

export interface Principal {
  readonly sub: string;
  readonly tenant: string;
  readonly kind: PrincipalKind;
  readonly roles: readonly string[];
  readonly departments: readonly string[];
  /** True when the token's `amr` claim shows a second factor (`mfa`, `otp`, `hwk`, `swk`, `sms`, `fpt`...). */
  readonly mfa: boolean;
  /**
   * When the person signed in (epoch seconds): the token's `auth_time` (OIDC Core section 2), else its `iat`. The
   * governed `access.mfaPolicy` (src/governance/mfa-policy.ts) limits how old a session may be.
   */
  readonly authTime?: number;
  /** SMART v2 scopes from the `scope` claim (space-separated); null when the token has no `scope` claim. */
  readonly scopes: readonly string[] | null;
  /** Extra grants named in the policy document (for example `sensitive`), from the `grants` claim. */
  readonly grants: readonly string[];
  /**
   * Effective roles per environment of governed changes (`STAGING`, `PRODUCTION`), when stored assignments are
   * scoped to environments (decide.ts builds it); absent, or an environment missing: `roles` count there.
   * Read through src/governance/environment-roles.ts.
   */
  readonly rolesByEnvironment?: Readonly<Record<string, readonly string[]>>;
}
