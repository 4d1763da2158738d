import { diffVersions } from '../governance/diff.js';
import { connectorSettingKey, findSetting } from '../governance/setting-catalog.js';
import type { Resolvers } from '../generated/resolvers-types.js';
import { listSettings } from '../services/settings-list.js';
import { GovernanceError } from '../errors/governance-error.js';
import { categoryFromGraphql, categoryToGraphql, diffOpToGraphql } from './governance-enums.js';
import {
  invalidInput,
  isChangeOfSetting,
  isResumeOf,
  loadSetting,
  loadStop,
  openChanges,
  requireStopTarget,
} from './governance-loaders.js';
import type { SettingModel } from './governance-models.js';
import { JsonScalar } from './json-scalar.js';
import { settingHistory, stopStates } from '../services/governance/reads.js';
import { promoteSetting, rollbackSetting, updateSetting } from '../services/governance/setting-proposals.js';
import { emergencyStop, proposeResume } from '../services/governance/emergency-actions.js';

// Settings, their history and emergency stops. Thin: the governance service decides every change before anything
// executes and throws typed errors (FORBIDDEN/CONFLICT/BAD_USER_INPUT/NOT_FOUND with a reason); nothing here
// decides who may do what. Reading at all is guarded by the shield rules (rules/field-access.ts).

export const settingResolvers: Resolvers = {
  JSON: JsonScalar,

  Query: {
    settings: async (_p, { environment, category }, ctx) => {
      const wanted = category ? categoryFromGraphql(category) : null;
      const [listed, open] = await Promise.all([
        listSettings(ctx.governance, ctx.principal.tenant, environment, wanted),
        openChanges(ctx, environment),
      ]);
      return listed.map((s): SettingModel => ({ ...s, open: open.filter(isChangeOfSetting(s.definition.key)) }));
    },
    setting: (_p, { key, environment }, ctx) => loadSetting(ctx, key, environment),
    settingHistory: (_p, { key, environment }, ctx) => settingHistory(ctx.governance, ctx.principal.tenant, key, environment),
    settingDiff: async (_p, { key, environment, fromVersion, toVersion }, ctx) => {
      const history = await settingHistory(ctx.governance, ctx.principal.tenant, key, environment);
      const definition = findSetting(key)!;
      const r = diffVersions([{ version: 0, value: definition.defaultValue }, ...history], fromVersion, toVersion);
      if (!r.ok) {
        const problems = r.missing.map((v) => ({
          path: v === fromVersion ? 'fromVersion' : 'toVersion',
          message: `${key} has no version ${v} in ${environment}`,
        }));
        throw new GovernanceError({
          code: 'NOT_FOUND',
          reason: 'UNKNOWN_VERSION',
          message: problems.map((p) => p.message).join('; '),
          problems,
        });
      }
      return { key, environment, fromVersion: r.from, toVersion: r.to, entries: r.diff };
    },
    stopStates: async (_p, { environment }, ctx) => {
      const states = await stopStates(ctx.governance, ctx.principal.tenant, environment);
      return states.map((s) => ({ target: s.target, environment, state: s.value, version: s.version }));
    },
    stopState: (_p, { target, environment }, ctx) => loadStop(ctx, requireStopTarget(target), environment),
  },

  Mutation: {
    updateSetting: (_p, { input }, ctx) =>
      updateSetting(ctx.governance, ctx.principal, {
        key: input.key,
        environment: input.environment,
        value: input.value,
        reason: input.reason,
        ticket: input.ticket,
        expectedVersion: input.expectedVersion,
      }),
    setWriteBack: (_p, { connectorId, environment, enabled, reason, ticket, expectedVersion }, ctx) => {
      const k = connectorSettingKey(connectorId, 'writeBackEnabled');
      if (!k.ok) throw invalidInput('connectorId', k.problems[0]?.message ?? 'is not a connector id');
      return updateSetting(ctx.governance, ctx.principal, { key: k.key, environment, value: enabled, reason, ticket, expectedVersion });
    },
    rollbackSetting: (_p, { key, environment, toVersion, reason, ticket }, ctx) =>
      rollbackSetting(ctx.governance, ctx.principal, { key, environment, toVersion, reason, ticket }),
    promoteSetting: (_p, { key, reason, ticket }, ctx) => promoteSetting(ctx.governance, ctx.principal, { key, reason, ticket }),
    emergencyStop: async (_p, { target, environment, reason }, ctx) => {
      const { value, version } = await emergencyStop(ctx.governance, ctx.principal, { target, environment, reason });
      return { target: requireStopTarget(target), environment, state: value, version };
    },
    resume: (_p, { target, environment, reason, ticket }, ctx) =>
      proposeResume(ctx.governance, ctx.principal, { target, environment, reason, ticket }),
  },

  ChangeResult: {
    status: (o) => o.status,
    version: (o) => (o.status === 'APPLIED' ? o.version : null),
    setting: (o, _a, ctx) => (o.change.target.type === 'setting' ? loadSetting(ctx, o.change.target.key, o.change.environment) : null),
    stopState: (o, _a, ctx) =>
      o.change.target.type === 'emergency-resume' ? loadStop(ctx, o.change.target.target, o.change.environment) : null,
    changeRequest: (o) => o.change,
  },

  Setting: {
    key: (s) => s.definition.key,
    environment: (s) => s.current.environment,
    category: (s) => categoryToGraphql(s.definition.category),
    ownerFunction: (s) => s.definition.ownerFunction,
    risk: (s) => s.definition.risk[s.current.environment],
    description: (s) => s.definition.description,
    value: (s) => s.current.value,
    version: (s) => s.current.version,
    updatedAt: (s) => s.current.updatedAt,
    updatedBy: (s) => s.current.updatedBy,
    pendingChanges: async (s, _a, ctx) =>
      s.open ?? (await openChanges(ctx, s.current.environment)).filter(isChangeOfSetting(s.definition.key)),
    pendingChange: async (s, _a, ctx) =>
      (s.open ?? (await openChanges(ctx, s.current.environment)).filter(isChangeOfSetting(s.definition.key)))[0] ?? null,
  },

  DiffEntry: {
    op: (d) => diffOpToGraphql(d.op),
  },

  SettingVersion: {
    // Stored versions always carry the id of the change that wrote them; '' would mean none.
    changeId: (v) => v.changeId || null,
  },

  EmergencyStop: {
    stopped: (s) => s.state.stopped,
    reason: (s) => (s.state.stopped ? s.state.reason : null),
    stoppedBy: (s) => (s.state.stopped ? s.state.by : null),
    stoppedAt: (s) => (s.state.stopped ? s.state.at : null),
    pendingResume: async (s, _a, ctx) => (await openChanges(ctx, s.environment)).find(isResumeOf(s.target)) ?? null,
  },
};
