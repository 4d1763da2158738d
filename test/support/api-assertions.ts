import { readFileSync } from 'node:fs';
import { expect } from 'vitest';
import type { GqlResponse } from './harness.js';

// Shared by the API tests (test/api): the policy document read raw from disk (so expectations come from the
// document, not from the code under test), and assertions on GraphQL errors by path.

export type GqlError = NonNullable<GqlResponse['body']['errors']>[number];
export type Path = readonly (string | number)[];
/** Any response body, whatever its data type: these helpers only read `errors`. */
export type ErrorsBody = Pick<GqlResponse['body'], 'errors'>;

interface RawPolicy {
  readonly version: string;
  readonly dataClasses: Record<string, { readonly owner: string }>;
  readonly grants: Record<string, { readonly owner: string; readonly eligibleRoles: readonly string[] }>;
  readonly roles: Record<
    string,
    {
      readonly function: string;
      readonly principalKinds: readonly string[];
      readonly permissions: readonly {
        readonly dataClasses: readonly string[];
        readonly actions: readonly string[];
        readonly scope: string;
      }[];
    }
  >;
}

/** rules/default-policy.json as written, not as parsed by the product. */
export const POLICY: RawPolicy = JSON.parse(readFileSync(new URL('../../rules/default-policy.json', import.meta.url), 'utf8')) as RawPolicy;

/** Roles of the document whose permissions include reading `dataClass`. */
export function rolesWithRead(dataClass: string): string[] {
  return Object.entries(POLICY.roles)
    .filter(([, role]) => role.permissions.some((p) => p.dataClasses.includes(dataClass) && p.actions.includes('read')))
    .map(([name]) => name);
}

function samePath(a: Path | undefined, b: Path): boolean {
  return a !== undefined && a.length === b.length && a.every((segment, i) => segment === b[i]);
}

export function errorsAt(body: ErrorsBody, path: Path): GqlError[] {
  return (body.errors ?? []).filter((error) => samePath(error.path, path));
}

/** The one error at `path`; fails when there is none or more than one. */
export function errorAt(body: ErrorsBody, path: Path): GqlError {
  const found = errorsAt(body, path);
  expect(found, `errors at ${JSON.stringify(path)}: ${JSON.stringify(body.errors?.map((e) => e.path))}`).toHaveLength(1);
  return found[0]!;
}

/**
 * Asserts a FORBIDDEN denial at `path` whose extensions match the policy document for `dataClass` and
 * `failedScope`: permission, owner role and its function, the roles holding it, policy version, and a howToGet that
 * names the owner (or, for the token's scopes and another tenant, says no request helps).
 */
export function expectForbidden(body: ErrorsBody, path: Path, dataClass: string, failedScope: string): GqlError {
  const error = errorAt(body, path);
  const ownerRole = POLICY.dataClasses[dataClass]?.owner;
  expect(ownerRole, `data class ${dataClass} in the policy document`).toBeDefined();
  expect(error.extensions).toMatchObject({
    code: 'FORBIDDEN',
    permission: `read:${dataClass}`,
    dataClass,
    failedScope,
    ownerRole,
    ownerFunction: POLICY.roles[ownerRole!]!.function,
    rolesWithPermission: rolesWithRead(dataClass),
    policyVersion: POLICY.version,
  });
  const howToGet = String(error.extensions?.howToGet ?? '');
  // What no request cures says so (the token's scopes, another tenant); everything else names the owner to ask.
  if (failedScope === 'smart-scope') expect(howToGet).toMatch(/sign in with a token whose scopes do/);
  else if (failedScope === 'tenant') expect(howToGet).toMatch(/no request can change that/);
  else expect(howToGet).toContain(ownerRole!);
  // Present whenever a request can help (an agent may have no role of its kind to ask for: then both are null).
  const offered = error.extensions?.requestAccess != null;
  expect(error.extensions?.approvalPath != null, 'approvalPath comes with requestAccess').toBe(offered);
  if (offered) expect(ACCESS_REQUEST_HELPS).toContain(failedScope);
  if (offered) expectAccessRequestPath(error, dataClass);
  return error;
}

/**
 * Denials an access request can cure (another tenant or the token's SMART scopes cannot be requested away; an agent
 * can ask for a role of its kind).
 */
const ACCESS_REQUEST_HELPS = ['role', 'department', 'grant', 'principal-kind'];

/**
 * The denial's approval path and ready requestAccess input: a role (or grant) of the document that carries the
 * permission, approved as the README says widening access is (production HIGH: two approvers of two functions, the
 * owner function security among them, with MFA), by security and the function of the role asked for.
 */
export function expectAccessRequestPath(error: GqlError, dataClass: string): void {
  const request = error.extensions?.requestAccess as {
    requestedRole: string | null;
    requestedGrant: string | null;
    justification: string;
    durationMinutes: number;
  } | null;
  const path = error.extensions?.approvalPath as { approverFunctions: string[] } | null;
  expect(request, `requestAccess for ${dataClass}`).toBeTruthy();
  expect(path, `approvalPath for ${dataClass}`).toMatchObject({
    environment: 'PRODUCTION', risk: 'HIGH', requiredApprovals: 2, distinctFunctions: true, ownerFunctionRequired: true, mfaRequired: true,
  });
  expect(path!.approverFunctions[0]).toBe('security');
  if (request!.requestedRole !== null) {
    expect(rolesWithRead(dataClass)).toContain(request!.requestedRole);
    expect(path!.approverFunctions).toContain(POLICY.roles[request!.requestedRole]!.function);
  } else {
    expect(Object.keys(POLICY.grants)).toContain(request!.requestedGrant);
  }
  expect(request).toMatchObject({ justification: '', durationMinutes: expect.any(Number) });
}

/** Every error of the response is FORBIDDEN (nothing else went wrong on the way). */
export function expectOnlyForbidden(body: ErrorsBody): void {
  expect((body.errors ?? []).map((e) => e.extensions?.code).filter((code) => code !== 'FORBIDDEN')).toEqual([]);
}

/** `value` is an identifier masked to its last four: at least four `*`, then the last four of `plain`. */
export function expectMasked(value: unknown, plain: string): void {
  expect(typeof value).toBe('string');
  expect(value).toMatch(/^\*{4,}[^*]{4}$/);
  expect((value as string).slice(-4)).toBe(plain.slice(-4));
  expect(value).not.toBe(plain);
}
