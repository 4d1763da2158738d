// The benchmark's operations. `[<id>]` is replaced by autocannon with a unique id per request, so each mutation
// changes the value (a change to the same value is refused as NO_CHANGE).

export interface BenchQuery {
  readonly name: string;
  readonly as: 'clinician' | 'ops' | 'clinicalAdmin';
  readonly body: string;
  readonly mutation?: boolean;
}

const q = (query: string, variables: Record<string, unknown> = {}) => JSON.stringify({ query, variables });
const SIX = 'id name gender birthDate department mrn';

/** The operations, for a patient of the seed (the benchmark's clinician belongs to every department). */
export const queries = (patientId: string): readonly BenchQuery[] => [
  {
    name: 'single-patient-clinical',
    as: 'clinician',
    body: q(
      'query($id: ID!) { patient(id: $id) { id name birthDate conditions { code display } observations(count: 5) { code value unit } ' +
      'medications { medication status } allergies { substance } immunizations { vaccine } encounters { type start } carePlans { title } ' +
      'notes { title } } }',
      { id: patientId },
    ),
  },
  { name: 'list-100', as: 'clinician', body: q(`{ patients(first: 100) { edges { node { ${SIX} } } } }`) },
  { name: 'list-1000', as: 'clinician', body: q(`{ patients(first: 1000) { edges { node { ${SIX} } } } }`) },
  {
    name: 'nested-50',
    as: 'clinician',
    body: q('{ patients(first: 50) { edges { node { id name conditions { code display } observations(count: 3) { code value } } } } }'),
  },
  {
    name: 'mutation-applies',
    as: 'ops',
    mutation: true,
    body: q(
      'mutation($v: JSON!) { updateSetting(input: { key: "messaging.templates", environment: STAGING, value: $v, reason: "bench" }) { ' +
      'status version } }',
      {
        v: { 'appointment-reminder': { locale: 'en', channel: 'sms', body: 'Reminder [<id>]: you have an appointment on {{date}}.' } },
      },
    ),
  },
  {
    name: 'mutation-queues',
    as: 'clinicalAdmin',
    mutation: true,
    body: q(
      'mutation($v: JSON!) { updateSetting(input: { key: "ai.model", environment: PRODUCTION, value: $v, reason: "bench" }) { status ' +
      'changeRequest { id } } }',
      {
        // A new value each request: every request builds and commits a new proposal, which replaces the requester's
        // previous open one on ai.model (src/governance/open-proposals.ts), so the queue holds one, not one per request.
        v: { provider: 'default', model: 'clinical-assistant-v2-[<id>]', temperature: 0.1 },
      },
    ),
  },
];

export const APPLYING_MUTATION = (): BenchQuery => queries('')[4]!;
