import { ClearanceError } from '../errors/errors.js';

/**
 * The store could not be reached or did not answer in time. Fail closed: the action did not happen, and the client
 * may retry. Never carries the store's address or credentials.
 */
export class StoreUnavailableError extends ClearanceError<{ store: string }> {
  constructor(store: string, message = 'The store is unavailable; nothing was changed. Retry later.') {
    super('STORE_UNAVAILABLE', message, { store }, 503);
  }
}
