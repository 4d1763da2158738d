import type { Resolvers } from '../generated/resolvers-types.js';
import { accessResolvers } from './access.js';
import { approvalResolvers } from './approvals.js';
import { auditResolvers } from './audit.js';
import { billingActionResolvers } from './billing-actions.js';
import { billingResolvers } from './billing.js';
import { connectorResolvers } from './connectors.js';
import { ehrWriteResolvers } from './ehr-write.js';
import { explainResolvers } from './explain.js';
import { meResolvers } from './me.js';
import { messagingResolvers } from './messaging.js';
import { settingsCatalogResolvers } from './settings-catalog.js';
import { patientResolvers } from './patients.js';
import { settingResolvers } from './settings.js';
import { subscriptionResolvers } from './subscriptions.js';

/** Merges the per-domain resolver maps (one level deep: type -> field). */
function mergeResolvers(...maps: Resolvers[]): Resolvers {
  const out: Record<string, Record<string, unknown>> = {};
  for (const map of maps) {
    for (const [type, fields] of Object.entries(map)) {
      out[type] = { ...(out[type] ?? {}), ...(fields as Record<string, unknown>) };
    }
  }
  return out as Resolvers;
}

export const resolvers: Resolvers = mergeResolvers(
  meResolvers,
  patientResolvers,
  billingResolvers,
  settingResolvers,
  approvalResolvers,
  auditResolvers,
  ehrWriteResolvers,
  accessResolvers,
  explainResolvers,
  settingsCatalogResolvers,
  messagingResolvers,
  billingActionResolvers,
  connectorResolvers,
  subscriptionResolvers,
);
