import type { FhirWriter } from '../../connectors/ehr/write/fhir-writer.js';
import type { Environment } from '../governance/environment.js';
import { EHR_STOP_TARGET, ehrStoppedError } from '../governance/stop-enforcement.js';
import type { StopState } from '../governance/emergency-target.js';
import type { GovernanceStore } from '../stores/governance-store.js';
import { stopDocId } from './governance/effects-to-ops.js';

// The emergency stop of the EHR connector, asked before anything is written to the EHR. `assertEhrRunning` throws
// CONFLICT STOPPED while `connector:ehr` is stopped in the environment (read from the store on every call, so a stop
// or resume on another replica counts at once); `stopGuardedWriter` wraps a FhirWriter so its writes (create, update)
// ask it first and nothing is sent while stopped, reads go on. Thrown inside an outbox effect the error is not a
// refusal: the outbox retries it with backoff (the change stays APPROVED, not APPLIED) and it goes out after a resume,
// or the change is FAILED after the last attempt, as an approved write-back does.

export async function assertEhrRunning(store: Pick<GovernanceStore, 'getDoc'>, tenant: string, environment: Environment): Promise<void> {
  const doc = await store.getDoc(tenant, { environment, id: stopDocId(EHR_STOP_TARGET) });
  if ((doc?.value as StopState | undefined)?.stopped) throw ehrStoppedError(environment);
}

/** `writer` whose create and update first ask the `connector:ehr` stop of `environment` (reads pass through). */
export function stopGuardedWriter(writer: FhirWriter, store: Pick<GovernanceStore, 'getDoc'>, environment: Environment): FhirWriter {
  return new Proxy(writer, {
    get(target, prop) {
      const value: unknown = Reflect.get(target, prop, target);
      if (typeof value !== 'function') return value;
      const method = value as (...args: unknown[]) => unknown;
      if (prop !== 'create' && prop !== 'update') return method.bind(target);
      return async (...args: unknown[]) => {
        await assertEhrRunning(store, (args[0] as { tenant: string }).tenant, environment);
        return method.apply(target, args);
      };
    },
  });
}
