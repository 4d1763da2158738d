import type { Bundle, Resource } from '@medplum/fhirtypes';
import { createEhrConnector, type EhrConnectorOptions } from './create-ehr-connector.js';
import type { EhrConnector } from './ehr-reader.js';
import { createMemoryFhirTransport } from './reader/memory-fhir-transport.js';

// The EHR connector over in-process data: the real reader (DataLoaders, mapping, paging) with searches answered
// from memory instead of HTTP. For the benchmark, which measures the permission layer rather than a FHIR server,
// and counts the FHIR searches the reader would send.
export function createMemoryEhrConnector(
  seed: Readonly<Record<string, readonly Bundle[]>>,
  options: Omit<EhrConnectorOptions, 'baseUrls' | 'transports'> = { timeoutMs: 5_000 },
): EhrConnector {
  const resources = (bundles: readonly Bundle[]): Resource[] =>
    bundles.flatMap((b) => (b.entry ?? []).flatMap((e) => (e.resource ? [e.resource] : [])));
  const tenants = Object.keys(seed);
  return createEhrConnector({
    ...options,
    baseUrls: Object.fromEntries(tenants.map((t) => [t, `memory://${t}`])),
    transports: Object.fromEntries(tenants.map((t) => [t, createMemoryFhirTransport(resources(seed[t]!))])),
  });
}
