// The read slots live in the policy kernel (rules/read-slots.ts), which names the slot of every field it lets through.
export { readPair, readSlot } from '../../rules/read-slots.js';
