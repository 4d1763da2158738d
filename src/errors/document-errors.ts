import { ClearanceError } from './errors.js';

// Refusals of the operation document itself, before anything resolves: a document outside the trusted-documents
// manifest (src/server/trusted-documents.ts), introspection for a principal whose roles may not
// (src/server/introspection-guard.ts).

type TrustedDocumentReason = 'TRUSTED_DOCUMENT_REQUIRED' | 'TRUSTED_DOCUMENT_UNKNOWN' | 'TRUSTED_DOCUMENTS_OFF';

/** 403 in enforce mode for a document that is not in the manifest; 400 for a hash the manifest does not hold. */
export class TrustedDocumentError extends ClearanceError<{ reason: TrustedDocumentReason }> {
  constructor(reason: TrustedDocumentReason) {
    const [code, status, message] =
      reason === 'TRUSTED_DOCUMENT_REQUIRED'
        ? (['FORBIDDEN', 403, 'Only trusted documents run on this gateway: send the hash of a document from its manifest.'] as const)
        : reason === 'TRUSTED_DOCUMENT_UNKNOWN'
          ? (['BAD_USER_INPUT', 400, 'No trusted document has this hash.'] as const)
          : (['BAD_USER_INPUT', 400, 'This gateway has no trusted-documents manifest: send the document itself.'] as const);
    super(code, message, { reason }, status);
  }
}

/** 403 for `__schema`/`__type` from a principal without one of INTROSPECTION_ROLES (`__typename` is not introspection). */
export class IntrospectionRefusedError extends ClearanceError<{ reason: 'INTROSPECTION_NOT_ALLOWED' }> {
  constructor() {
    super('FORBIDDEN', 'Introspection is not allowed for your roles.', { reason: 'INTROSPECTION_NOT_ALLOWED' }, 403);
  }
}
