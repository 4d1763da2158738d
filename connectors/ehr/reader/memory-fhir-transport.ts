import type { Bundle, Resource } from '@medplum/fhirtypes';
import type { SearchParams } from 'fhir-kit-client';
import { ConnectorError } from '../../common/connector-error.js';
import { parseElements, subsetElements } from '../mapping/fhir-elements.js';

// An in-memory FHIR search transport for the benchmark (and fast tests): the same searches the reader sends over
// HTTP, answered from indexed resources in this process. It understands exactly the parameters the reader uses
// (https://hl7.org/fhir/R4/search.html) and refuses any other, so a reader change cannot silently diverge from it;
// test/connectors/ehr/memory-transport-contract.test.ts compares its answers with the embedded FHIR server's.

export type FhirSearchTransport = (resourceType: string, params: SearchParams) => Promise<Bundle>;

const PATIENT_PARAMS = new Set(['patient', 'subject', 'beneficiary']);

function patientOf(r: Resource): string | null {
  const ref = (r as { subject?: { reference?: string }; patient?: { reference?: string }; beneficiary?: { reference?: string } });
  const value = ref.subject?.reference ?? ref.patient?.reference ?? ref.beneficiary?.reference;
  return value?.startsWith('Patient/') ? value.slice('Patient/'.length) : null;
}

const dateOf = (r: Resource): string => {
  const x = r as unknown as Record<string, unknown>;
  return String(
    x.effectiveDateTime ??
      (x.effectivePeriod as { start?: string } | undefined)?.start ??
      x.onsetDateTime ??
      x.authoredOn ??
      x.date ??
      x.created ??
      x.issued ??
      '',
  );
};

function nameParts(r: Resource): string[] {
  return ((r as { name?: { family?: string; given?: string[] }[] }).name ?? [])
    .flatMap((n) => [n.family ?? '', ...(n.given ?? [])])
    .map((s) => s.toLowerCase());
}

function matchesDate(value: string | undefined, filter: string): boolean {
  const m = /^(ge|gt|le|lt|eq)?(.+)$/.exec(filter)!;
  const [op, date] = [m[1] ?? 'eq', m[2]!];
  if (!value) return false;
  switch (op) {
    case 'ge':
      return value >= date;
    case 'gt':
      return value > date;
    case 'le':
      return value <= date;
    case 'lt':
      return value < date;
    default:
      return value.startsWith(date);
  }
}

function sortKey(r: Resource, key: string): string {
  switch (key) {
    case 'family':
      return ((r as { name?: { family?: string }[] }).name?.[0]?.family ?? '').toLowerCase();
    case 'given':
      return ((r as { name?: { given?: string[] }[] }).name?.[0]?.given?.join(' ') ?? '').toLowerCase();
    case '_id':
      return r.id ?? '';
    case 'date':
      return dateOf(r);
    default:
      throw new ConnectorError('ehr', 'REJECTED', 400, `memory transport: unsupported _sort ${key}`);
  }
}

export function createMemoryFhirTransport(resources: readonly Resource[]): FhirSearchTransport {
  const byType = new Map<string, Resource[]>();
  const byTypeAndPatient = new Map<string, Resource[]>();
  // Appended in place (copying the list for every resource made building the index quadratic: seconds at 1000 patients).
  const add = (index: Map<string, Resource[]>, key: string, r: Resource) => {
    const list = index.get(key);
    if (list) list.push(r);
    else index.set(key, [r]);
  };
  // A resource's managing organization, and the resources of each (type, organization): the `organization` search.
  const organizationOf = new Map<Resource, string>();
  const byTypeAndOrganization = new Map<string, Resource[]>();
  for (const r of resources) {
    add(byType, r.resourceType, r);
    const organization = (r as { managingOrganization?: { reference?: string } }).managingOrganization?.reference;
    if (organization) {
      organizationOf.set(r, organization);
      add(byTypeAndOrganization, `${r.resourceType}|${organization}`, r);
    }
    const p = r.resourceType === 'Patient' ? r.id : patientOf(r);
    if (p) add(byTypeAndPatient, `${r.resourceType}|${p}`, r);
  }
  // The data never changes, so each sort order is computed once per resource type: the sorted list serves unfiltered
  // searches as is, and its ranks order filtered ones.
  const ranks = new Map<string, { sorted: Resource[]; rank: Map<Resource, number> }>();
  const rankOf = (resourceType: string, sort: readonly string[]): { sorted: Resource[]; rank: Map<Resource, number> } => {
    const key = `${resourceType}|${sort.join(',')}`;
    let entry = ranks.get(key);
    if (!entry) {
      const sorted = [...(byType.get(resourceType) ?? [])].sort((a, b) => {
        for (const s of sort) {
          const desc = s.startsWith('-');
          const k = desc ? s.slice(1) : s;
          const x = sortKey(a, k);
          const y = sortKey(b, k);
          const cmp = x < y ? -1 : x > y ? 1 : 0;
          if (cmp !== 0) return desc ? -cmp : cmp;
        }
        return 0;
      });
      entry = { sorted, rank: new Map(sorted.map((r, i) => [r, i])) };
      ranks.set(key, entry);
    }
    return entry;
  };
  return async (resourceType, params) => {
    let count = Infinity;
    let offset = 0;
    let sort: string[] = [];
    let elements: string[] | null = null;
    let organizations: string[] | null = null;
    const filters: ((r: Resource) => boolean)[] = [];
    for (const [key, raw] of Object.entries(params)) {
      const values = (Array.isArray(raw) ? raw : [raw]).map(String);
      if (key === '_count') count = Number(values[0]);
      else if (key === '_offset') offset = Number(values[0]);
      else if (key === '_sort') sort = values[0]!.split(',');
      else if (key === '_total') continue;
      else if (key === '_elements') elements = parseElements(values[0]!);
      else if (key === '_id') {
        const ids = new Set(values[0]!.split(','));
        filters.push((r) => ids.has(r.id ?? ''));
      } else if (PATIENT_PARAMS.has(key)) {
        continue;
      } else if (key === 'code') {
        const wanted = values[0]!.split(',');
        filters.push((r) =>
          ((r as { code?: { coding?: { system?: string; code?: string }[] } }).code?.coding ?? []).some((c) =>
            wanted.some((w) => w === c.code || w === `${c.system}|${c.code}`),
          ),
        );
      } else if (key === 'name') {
        const q = values[0]!.toLowerCase();
        filters.push((r) => nameParts(r).some((part) => part.startsWith(q)));
      } else if (key === 'organization') {
        // A comma list is OR (https://hl7.org/fhir/R4/search.html#combining), as the embedded server answers it.
        const wanted = new Set(values[0]!.split(','));
        organizations = [...wanted];
        filters.push((r) => wanted.has(organizationOf.get(r) ?? ''));
      } else if (key === 'gender') filters.push((r) => (r as { gender?: string }).gender === values[0]);
      else if (key === 'birthdate') filters.push((r) => values.every((f) => matchesDate((r as { birthDate?: string }).birthDate, f)));
      else throw new ConnectorError('ehr', 'REJECTED', 400, `memory transport: unsupported search parameter ${key}`);
    }
    const matches = (r: Resource) => filters.every((f) => f(r));
    // Start from the patient index when the search names patients, then narrow by every other parameter.
    const patientKey = Object.keys(params).find((k) => PATIENT_PARAMS.has(k));
    if (!patientKey && sort.length > 0) {
      // A sorted search of the whole type walks the type's list in that order, as a server walks an index: the page is
      // taken as it goes, and an organization filter alone is counted from the organization index, so the walk stops
      // at the page's end. (Filtering and then sorting the department-filtered list on every request charged a FHIR
      // server's work to the guarded gateway's bench figures: issue 17.)
      const { sorted } = rankOf(resourceType, sort);
      const counted =
        filters.length === 0
          ? sorted.length
          : organizations !== null && filters.length === 1
            ? organizations.reduce((n, o) => n + (byTypeAndOrganization.get(`${resourceType}|${o}`)?.length ?? 0), 0)
            : null;
      const page: Resource[] = [];
      let seen = 0;
      for (const r of sorted) {
        if (counted !== null && seen >= offset + count) break;
        if (!matches(r)) continue;
        if (seen >= offset && seen < offset + count) page.push(r);
        seen++;
      }
      return bundleOf(page, counted ?? seen, elements);
    }
    let found: Resource[] = patientKey
      ? String(params[patientKey])
          .split(',')
          .flatMap((ref) => byTypeAndPatient.get(`${resourceType}|${ref.replace(/^Patient\//, '')}`) ?? [])
      : (byType.get(resourceType) ?? []);
    if (filters.length > 0) found = found.filter(matches);
    if (sort.length) {
      // Each resource's place in the sorted list, sorted as numbers: one lookup per resource, not two per comparison.
      const { sorted, rank } = rankOf(resourceType, sort);
      found = Array.from(Uint32Array.from(found, (r) => rank.get(r)!).sort(), (i) => sorted[i]!);
    }
    return bundleOf(found.slice(offset, offset + count), found.length, elements);
  };
}

function bundleOf(page: readonly Resource[], total: number, elements: readonly string[] | null): Bundle {
  return {
    resourceType: 'Bundle',
    type: 'searchset',
    total,
    entry: page.map((resource) => ({ resource: elements ? subsetElements(resource, elements) : resource })),
  };
}
