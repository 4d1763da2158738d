import type { DiffOp as DomainDiffOp } from '../governance/diff.js';
import type { ChangeOrigin } from '../governance/change-request.js';
import type { ChangeTarget } from '../governance/change-target.js';
import type { Category } from '../governance/environment.js';
import type { ChangeOriginType, ChangeTargetType, DiffOp, SettingCategory } from '../generated/resolvers-types.js';

// GraphQL enum names for domain values that are not valid GraphQL names (`ai-behavior`) or are lower-case. The
// domain keeps its own vocabulary; only the API edge translates. Environment, Risk and ChangeStatus need nothing.

const CATEGORY: Readonly<Record<Category, SettingCategory>> = {
  'ai-behavior': 'AI_BEHAVIOR',
  integration: 'INTEGRATION',
  'billing-automation': 'BILLING_AUTOMATION',
  messaging: 'MESSAGING',
  access: 'ACCESS',
  audit: 'AUDIT',
};
const CATEGORY_OF = Object.fromEntries(Object.entries(CATEGORY).map(([domain, gql]) => [gql, domain])) as Readonly<
  Record<SettingCategory, Category>
>;

export const categoryToGraphql = (c: Category): SettingCategory => CATEGORY[c];
export const categoryFromGraphql = (c: SettingCategory): Category => CATEGORY_OF[c];

export const diffOpToGraphql = (op: DomainDiffOp): DiffOp => (op === 'add' ? 'ADD' : op === 'remove' ? 'REMOVE' : 'REPLACE');

const ORIGIN: Readonly<Record<ChangeOrigin['type'], ChangeOriginType>> = {
  direct: 'DIRECT',
  rollback: 'ROLLBACK',
  promotion: 'PROMOTION',
  'access-request': 'ACCESS_REQUEST',
};
export const originTypeToGraphql = (t: ChangeOrigin['type']): ChangeOriginType => ORIGIN[t];

const TARGET: Readonly<Record<ChangeTarget['type'], ChangeTargetType>> = {
  setting: 'SETTING',
  settings: 'SETTINGS',
  'emergency-resume': 'EMERGENCY_RESUME',
  'ehr-write': 'EHR_WRITE',
  refund: 'REFUND',
  assignment: 'ASSIGNMENT',
  'access-request': 'ACCESS_REQUEST',
  policy: 'POLICY',
};
export const targetTypeToGraphql = (t: ChangeTarget['type']): ChangeTargetType => TARGET[t];
