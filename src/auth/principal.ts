// The verified caller: the policy kernel's input type (rules/principal.ts), re-exported for the rest of src/.
export type { Principal, PrincipalKind } from '../../rules/principal.js';
