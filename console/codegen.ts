import type { CodegenConfig } from '@graphql-codegen/cli';
import { preset as clientPreset } from '@graphql-codegen/client-preset';

// Typed operations for the approver console, from the same SDL as the gateway (schema/*.graphql), with the client
// preset. Paths are relative to the repository root (run `npm run codegen:console` there). The output in
// console/src/gql/ is committed; test/schema/codegen-drift.test.ts fails when it no longer matches.
const consoleCodegenConfig: CodegenConfig = {
  schema: 'schema/*.graphql',
  documents: ['console/src/**/*.{ts,tsx}', '!console/src/gql/**'],
  ignoreNoDocuments: false,
  generates: {
    'console/src/gql/': {
      // The preset object, not its name: the CLI and the tests resolve the same copy (5.x, the CLI 6 family).
      preset: clientPreset,
      // persisted-documents.json (hash -> document) is the console's trusted-documents manifest: the gateway loads it
      // with TRUSTED_DOCUMENTS_FILE, and every document carries its hash in __meta__.hash (src/server/trusted-documents.ts).
      presetConfig: { fragmentMasking: false, persistedDocuments: { hashAlgorithm: 'sha256' } },
      config: {
        // Plain strings in the bundle (no graphql-js in the browser): each document is a TypedDocumentString.
        documentMode: 'string',
        useTypeImports: true,
        enumsAsTypes: true,
        skipTypename: true,
        scalars: { DateTime: 'string', JSON: 'unknown' },
      },
    },
  },
};

export default consoleCodegenConfig;
