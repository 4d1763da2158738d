import type { PrincipalPolicy } from './decide.js';
import type { Denial } from './denial.js';
import type { PermissionCache } from './permission-cache.js';

// What the guard wiring (fast-guard.ts, shield-tree.ts) needs of a request's context, declared here so that rules/
// imports nothing from src/: the gateway's context (src/context/context.ts) has this shape.

export interface PhiReadSink {
  /** Records that the field of `slot` (read-slots.ts) of this patient's record was returned. */
  record(patientId: string, slot: number): void;
}

export interface GuardContext {
  readonly access: PrincipalPolicy;
  readonly permissionCache: PermissionCache;
  readonly phiReads: PhiReadSink;
}

/** Turns a denial into the error a client sees (src/errors/forbidden.ts: FORBIDDEN with the denial's extensions). */
export type DenialError = (denial: Denial) => Error;
