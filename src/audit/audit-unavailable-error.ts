import { ClearanceError } from '../errors/errors.js';

/** The audit record could not be written, so the action did not happen and no PHI was returned (fail closed). */
export class AuditUnavailableError extends ClearanceError<{ retryable: true }> {
  constructor() {
    super('AUDIT_UNAVAILABLE', 'The audit log could not be written, so nothing was returned or changed. Retry later.', { retryable: true }, 503);
  }
}
