import type { Environment } from '../governance/environment.js';
import type { ChangeRequest } from '../governance/change-request.js';
import type { StopState } from '../governance/emergency-target.js';
import type { SettingDefinition } from '../governance/setting-catalog.js';
import type { CurrentSetting } from '../services/governance/reads.js';
import type { ProposalOutcome } from '../services/governance/deps.js';

// The parent objects the settings and approvals resolvers hand to GraphQL (codegen.ts maps the SDL types to them).
// Change requests, versions, diffs and approvals are the domain's own records and need no model.

export interface SettingModel {
  readonly definition: SettingDefinition;
  readonly current: CurrentSetting;
  /** Open changes of this setting, when the resolver that produced it already loaded them (newest first). */
  readonly open?: ChangeRequest[];
}

export interface StopModel {
  readonly target: string;
  readonly environment: Environment;
  readonly state: StopState;
  readonly version: number;
}

export type ChangeResultModel = ProposalOutcome;
