/**
 * Thrown by an effect that can never succeed (a refund larger than what is now left on the invoice): the change
 * becomes FAILED at once, with an audit record and the `change.failed` notification, instead of after every retry.
 */
export class EffectRefusedError extends Error {}
