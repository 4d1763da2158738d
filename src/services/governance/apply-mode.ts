import type { ChangeTarget } from '../../governance/change-target.js';

// How an approved change is applied: atomically with the approval in the store, or through the outbox when the apply
// reaches outside the store (outbox-worker.ts).

const CONNECTOR_EFFECT = /^integration\.(?!webhookRoutes$)[a-z][a-z0-9-]*\.(baseUrl|scopes|writeBackEnabled|writeBackMappings)$/;

export function defaultApplyMode(target: ChangeTarget): 'atomic' | 'outbox' {
  // The approved write (a clinical write, a refund) reaches the EHR through the outbox.
  if (target.type === 'ehr-write' || target.type === 'refund') return 'outbox';
  if (target.type === 'settings') return target.entries.some((e) => CONNECTOR_EFFECT.test(e.key)) ? 'outbox' : 'atomic';
  return target.type === 'setting' && CONNECTOR_EFFECT.test(target.key) ? 'outbox' : 'atomic';
}
