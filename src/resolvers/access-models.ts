import type { AccessEntry } from '../governance/access-entries.js';
import type { ReviewItem } from '../governance/access-review.js';
import type { ChangeRequest } from '../governance/change-request.js';
import type { SettingDefinition } from '../governance/setting-catalog.js';
import type { ApprovalPath } from '../../rules/denial.js';
import type { CurrentSetting } from '../services/governance/reads.js';

// Parent objects of schema/access.graphql (codegen.ts maps the SDL types to them).

export interface AccessGrantModel {
  readonly sub: string;
  readonly entry: AccessEntry;
  /** The request's time: `active` is decided at it, like every decision. */
  readonly nowMs: number;
}

export type AccessReviewModel = ReviewItem & { readonly nowMs: number };

export interface CatalogSettingModel {
  readonly definition: SettingDefinition;
  readonly current: CurrentSetting;
  readonly ownerRole: string;
  readonly canEdit: boolean;
  readonly requiresApproval: boolean;
  readonly lockedReason: string | null;
  readonly approvalPath: ApprovalPath;
  readonly pendingChange: ChangeRequest | null;
}
