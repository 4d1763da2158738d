import type { Denial } from '../../rules/denial.js';
import { ForbiddenError } from './errors.js';

/** A policy denial (rules/) as the FORBIDDEN error a client sees: its message, and the rest as extensions. */
export function forbidden(denial: Denial): ForbiddenError {
  const { message, ...extensions } = denial;
  return new ForbiddenError(message, extensions);
}
