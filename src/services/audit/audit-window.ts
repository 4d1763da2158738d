import { withCommit, type GovernanceStore } from '../../stores/governance-store.js';
import type { AuditService } from './audit-service.js';

// The embedded store keeps a bounded window of audit records (AuditService.keepWindow trims the oldest behind a
// signed checkpoint). Records are appended by every commit that carries an `audit` op (a governed change and its
// transitions, deliveries, grants), most of them outside the audit service: this store hands every such commit on
// and then keeps the window, so the bound holds whatever the gateway is asked to do.

export function keepingAuditWindow(store: GovernanceStore, audit: Pick<AuditService, 'keepWindow'>): GovernanceStore {
  return withCommit(store, async (tenant, ops) => {
    const result = await store.commit(tenant, ops);
    if (result.ok && ops.some((op) => op.type === 'audit')) await audit.keepWindow(tenant);
    return result;
  });
}
