import type { PrincipalPolicy } from './decide.js';
import type { Denial } from './denial.js';
import type { PermissionCache } from './permission-cache.js';

// What the guard wiring (fast-guard.ts, shield-tree.ts) needs of a request's context, declared here so that rules/
// imports nothing from src/: the gateway's context (src/context/context.ts) has this shape.

interface PhiReadSink {
  /** Records that the field of `slot` (read-slots.ts) of this patient's record was returned. */
  record(patientId: string, slot: number): void;
  /** Records every slot of `slots` for this patient (one admitted row's reads; the same array for every such row). */
  recordAll(patientId: string, slots: readonly number[]): void;
}

/** Counts decisions by rule name and outcome (metrics): never a row, a patient or a value. */
export interface DecisionSink {
  decided(permission: string, outcome: string): void;
}

export interface GuardContext {
  readonly access: PrincipalPolicy;
  readonly permissionCache: PermissionCache;
  readonly phiReads: PhiReadSink;
  /** Told of each decision the fast guard makes (once per request per rule, once per row guard per row rule); optional. */
  readonly decisions?: DecisionSink | undefined;
}

/** Turns a denial into the error a client sees (src/errors/forbidden.ts: FORBIDDEN with the denial's extensions). */
export type DenialError = (denial: Denial) => Error;
