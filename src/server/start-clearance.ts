import { createEhrConnector, type EhrConnectorOptions } from '../../connectors/ehr/create-ehr-connector.js';
import { createEmbeddedFhirServer, type EmbeddedFhirServer } from '../../connectors/ehr/embedded-fhir-server.js';
import { defaultTenantSeed } from '../../connectors/ehr/seed.js';
import type { PolicyDocument } from '../../rules/policy-document.js';
import { defaultPolicy } from '../../rules/policy-document.js';
import { createKeyGetter } from '../auth/key-source.js';
import { createTokenVerifier } from '../auth/verify-token.js';
import type { GatewayConfig } from '../config/config.js';
import { buildGuardedSchema } from './build-schema.js';
import { Gateway } from './gateway.js';
import type { Logger } from './logger.js';

// The composition root: config in, a running gateway out. Embedded mode also starts the embedded FHIR server
// seeded with the Synthea sample patients; production mode uses the configured FHIR base URLs.

export interface StartOptions {
  readonly logger: Logger;
  readonly policy?: PolicyDocument;
  /** Embedded mode: the tenants' bundles for the embedded FHIR server (default: the Synthea samples). */
  readonly fhirSeed?: Parameters<typeof createEmbeddedFhirServer>[0]['tenants'];
  readonly onFhirRequest?: EhrConnectorOptions['onRequest'];
}

export interface RunningClearance {
  readonly url: string;
  readonly fhir: EmbeddedFhirServer | null;
  stop(): Promise<void>;
}

export async function startClearance(config: GatewayConfig, options: StartOptions): Promise<RunningClearance> {
  const { logger } = options;
  let fhir: EmbeddedFhirServer | null = null;
  let baseUrls = config.fhir.baseUrls;
  if (!baseUrls) {
    fhir = await createEmbeddedFhirServer({ tenants: options.fhirSeed ?? (await defaultTenantSeed()) }).start();
    baseUrls = fhir.baseUrls();
  }
  const verifier = createTokenVerifier({ ...config.auth, keys: await createKeyGetter(config) });
  const gateway = new Gateway({
    schema: buildGuardedSchema(),
    verifier,
    ehr: createEhrConnector({ baseUrls, timeoutMs: config.fhir.timeoutMs, onRequest: options.onFhirRequest }),
    policy: options.policy ?? defaultPolicy(),
    logger,
    limits: { ...config.limits, suppressionThreshold: config.statistics.suppressionThreshold },
    production: config.mode === 'production',
  });
  const url = await gateway.start(config.port, config.host);
  return {
    url,
    fhir,
    async stop() {
      await gateway.stop();
      await fhir?.stop();
    },
  };
}
