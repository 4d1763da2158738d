import type { Resolvers } from '../generated/resolvers-types.js';
import { pathFor } from '../governance/approval-path.js';
import { DEFAULT_APPROVAL_RULES } from '../governance/approval-rules.js';
import { describeTarget } from '../governance/change-target.js';
import { editCheck, ownerRoleOf } from '../governance/edit-permission.js';
import { functionsFromPolicy } from '../governance/functions.js';
import type { CatalogSettingModel } from './access-models.js';
import { listSettings } from '../services/settings-list.js';
import { categoryToGraphql } from './governance-enums.js';
import { isChangeOfSetting, openChanges } from './governance-loaders.js';

// settingsCatalog: every setting with what a frontend needs to render its control (disabled with the reason, the
// owner, the approval path, a status badge). canEdit and requiresApproval come from editCheck and the approval
// rules, the functions updateSetting itself uses: the catalog never says "you can" where proposing would refuse.

export const settingsCatalogResolvers: Resolvers = {
  Query: {
    settingsCatalog: async (_p, args, ctx) => {
      const [settings, open, policy] = await Promise.all([
        listSettings(ctx.governance, ctx.principal.tenant, args.environment, null),
        openChanges(ctx, args.environment),
        ctx.accessAdmin.policyInForce(ctx.principal.tenant),
      ]);
      const functionsOf = functionsFromPolicy(policy);
      return settings.flatMap((s): CatalogSettingModel[] => {
        // With the policy in force, as the proposal is judged: a credentials key's editors hold write:credentials.
        const described = describeTarget({ type: 'setting', key: s.definition.key }, DEFAULT_APPROVAL_RULES, undefined, policy);
        if (!described.ok) return [];
        const d = described.descriptor;
        const edit = editCheck(d, ctx.principal, args.environment);
        const approvalPath = pathFor(DEFAULT_APPROVAL_RULES, d, args.environment, d.risk[args.environment], ctx.principal.kind);
        return [
          {
            definition: s.definition,
            current: s.current,
            ownerRole: ownerRoleOf(d, functionsOf),
            canEdit: edit.ok,
            requiresApproval: approvalPath.requiredApprovals > 0,
            lockedReason: edit.ok
              ? null
              : `${edit.message}; owner: ${ownerRoleOf(d, functionsOf)} (${d.ownerFunction}). Ask with requestAccess.`,
            approvalPath,
            pendingChange: open.find(isChangeOfSetting(s.definition.key)) ?? null,
          },
        ];
      });
    },
  },
  CatalogSetting: {
    key: (s) => s.definition.key,
    environment: (s) => s.current.environment,
    category: (s) => categoryToGraphql(s.definition.category),
    description: (s) => s.definition.description,
    value: (s) => s.current.value,
    version: (s) => s.current.version,
    ownerFunction: (s) => s.definition.ownerFunction,
    risk: (s) => s.definition.risk[s.current.environment],
    status: (s) =>
      s.pendingChange?.status === 'APPROVED'
        ? 'APPROVED'
        : s.pendingChange
          ? 'PENDING_REVIEW'
          : s.current.version === 0
            ? 'DEFAULT'
            : 'ACTIVE',
  },
};
