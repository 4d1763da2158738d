// Shared with the policy kernel, which may import nothing from src/ (rules/deep-freeze.ts).
export { deepFreeze } from '../../rules/deep-freeze.js';
