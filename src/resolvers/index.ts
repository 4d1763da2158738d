import type { Resolvers } from '../generated/resolvers-types.js';
import { approvalResolvers } from './approvals.js';
import { billingResolvers } from './billing.js';
import { meResolvers } from './me.js';
import { patientResolvers } from './patients.js';
import { settingResolvers } from './settings.js';

/** Merges the per-domain resolver maps (one level deep: type -> field). */
export function mergeResolvers(...maps: Resolvers[]): Resolvers {
  const out: Record<string, Record<string, unknown>> = {};
  for (const map of maps) {
    for (const [type, fields] of Object.entries(map)) {
      out[type] = { ...(out[type] ?? {}), ...(fields as Record<string, unknown>) };
    }
  }
  return out as Resolvers;
}

export const resolvers: Resolvers = mergeResolvers(meResolvers, patientResolvers, billingResolvers, settingResolvers, approvalResolvers);
