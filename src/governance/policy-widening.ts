// Who gains by a policy change: whoever holds a role or grant the change gives more to may not approve it
// (access-approval.ts policySelfBenefit: SELF_BENEFIT, asked by approveChange, explain and viewerCanApprove alike).
//
// Not a list of the changes seen so far: the document is walked leaf by leaf, each leaf read by what its part of the
// schema (rules/policy-document.ts) means for who gets what (POLICY_PARTS; test/governance/policy-widening.test.ts
// walks the schema and fails on a part with no meaning). What a document gives is a set of gains per holder (a role
// or a grant), each with a size; a change widens a holder when it gains something new or something larger:
// - a role's or grant's own entry: a permission (action and data class; tenant scope larger than department), a kind
//   of principal, a function (its holders approve for that one);
// - a role named anywhere else (an owner: owning a data class or grant lets one approve and give it; an eligible role
//   of a grant or of break-glass): that role, at that place;
// - a numeric bound (break-glass minutes): the roles its part of the document names (else the entry it bounds), larger
//   is more; a bound that bounds no role bounds everyone;
// - a data class's FHIR resources, every one of which a token's SMART scopes must cover (rules/smart-scopes.ts): one
//   dropped gives the class to more tokens, so to every holder of a permission on it.

type Meaning =
  /** Free text: gives nothing. */
  | 'text'
  /** A list of names the document defines (functions): gives nothing by itself. */
  | 'catalogue'
  /** A role that owns the entry (a data class, a grant): it approves and gives it. */
  | 'owner'
  /** A role that may use the entry (a grant, break-glass): that role gains; a grant's holders too. */
  | 'eligible-role'
  /** A permission of the role or grant whose entry it is in. */
  | 'permission'
  /** A property of the role whose entry it is in (function, kinds of principal): a new value is a gain. */
  | 'attribute'
  /** A number that limits what the roles named beside it get: larger is more. */
  | 'upper-bound'
  /** An item a token's SMART scopes must cover before the data class counts: dropping one is a gain. */
  | 'requirement';

/**
 * Every part of the policy document (`*` a record's key, `[]` an array's items) and what it means for who gets what.
 * A part of the schema missing here fails test/governance/policy-widening.test.ts; a leaf of a document missing here
 * (never, after validation) is read as widening everyone.
 */
export const POLICY_PARTS: Readonly<Record<string, Meaning>> = {
  version: 'text',
  description: 'text',
  'functions[]': 'catalogue',
  'dataClasses.*.description': 'text',
  'dataClasses.*.owner': 'owner',
  'dataClasses.*.fhirResources[]': 'requirement',
  'grants.*.description': 'text',
  'grants.*.owner': 'owner',
  'grants.*.eligibleRoles[]': 'eligible-role',
  'grants.*.permissions[]': 'permission',
  'roles.*.function': 'attribute',
  'roles.*.description': 'text',
  'roles.*.principalKinds[]': 'attribute',
  'roles.*.permissions[]': 'permission',
  'breakGlass.eligibleRoles[]': 'eligible-role',
  'breakGlass.maxMinutes': 'upper-bound',
};

/** The meanings whose value is a role's name. */
const NAMES_ROLES: ReadonlySet<Meaning> = new Set(['owner', 'eligible-role']);

/** Records keyed by the name of what a person holds: an entry's gains are its holders'. */
const HOLDER_RECORDS: Readonly<Record<string, 'role' | 'grant'>> = { roles: 'role', grants: 'grant' };

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };
interface Leaf {
  /** The concrete path, array indices left out (`grants.identifiers.eligibleRoles`). */
  readonly at: readonly string[];
  readonly part: string;
  readonly value: Json;
}

const isObject = (v: unknown): v is Record<string, Json> => typeof v === 'object' && v !== null && !Array.isArray(v);
const knownPrefix = (part: string) =>
  Object.keys(POLICY_PARTS).some((p) => p === part || p.startsWith(`${part}.`) || p.startsWith(`${part}[]`));

/** The leaves of a document, each with its part of the schema; a permission is one leaf (its object). */
function leaves(node: Json, at: readonly string[] = [], part = ''): Leaf[] {
  if (Object.hasOwn(POLICY_PARTS, part) && !Array.isArray(node)) return [{ at, part, value: node }];
  if (Array.isArray(node)) return node.flatMap((item) => leaves(item, at, `${part}[]`));
  if (!isObject(node)) return [{ at, part, value: node }];
  return Object.entries(node).flatMap(([key, value]) => {
    const fixed = part ? `${part}.${key}` : key;
    const next = knownPrefix(fixed) ? fixed : `${part}.*`;
    return leaves(value, [...at, key], next);
  });
}

/** holder (`role:<name>`, `grant:<name>`, `*` everyone) -> gain -> size. */
type Gains = Map<string, Map<string, number>>;

function gainsOf(doc: unknown, other: unknown): Gains {
  const gains: Gains = new Map();
  const gain = (holder: string, what: string, size = 1) => {
    const m = gains.get(holder) ?? new Map<string, number>();
    m.set(what, Math.max(m.get(what) ?? -Infinity, size));
    gains.set(holder, m);
  };
  const all = isObject(doc) ? leaves(doc) : [];
  const holderOf = (at: readonly string[]) => {
    const kind = HOLDER_RECORDS[at[0] ?? ''];
    return kind && at[1] !== undefined ? `${kind}:${at[1]}` : null;
  };
  const rolesNamedUnder = (at: readonly string[]) =>
    all
      .filter((l) => NAMES_ROLES.has(POLICY_PARTS[l.part]!) && at.every((k, i) => l.at[i] === k))
      .map((l) => `role:${String(l.value)}`);
  // A data class's holders: the roles and grants with a permission on it.
  const holdersOfClass = (dataClass: string) =>
    all
      .filter((l) => POLICY_PARTS[l.part] === 'permission' && isObject(l.value) && asList(l.value.dataClasses).includes(dataClass))
      .map((l) => holderOf(l.at))
      .filter((h): h is string => h !== null);
  for (const leaf of all) {
    const path = leaf.at.join('.');
    const holder = holderOf(leaf.at);
    const meaning: Meaning | 'unknown' = POLICY_PARTS[leaf.part] ?? 'unknown';
    switch (meaning) {
      case 'text':
      case 'catalogue':
        break;
      case 'owner':
        gain(`role:${String(leaf.value)}`, path);
        break;
      case 'eligible-role':
        gain(`role:${String(leaf.value)}`, path);
        if (holder) gain(holder, `${path}=${String(leaf.value)}`);
        break;
      case 'attribute':
        if (holder) gain(holder, `${leaf.part}=${String(leaf.value)}`);
        break;
      case 'permission': {
        if (!holder || !isObject(leaf.value)) break;
        const p = leaf.value;
        const size = p.scope === 'tenant' ? 2 : 1;
        for (const c of asList(p.dataClasses)) for (const a of asList(p.actions)) gain(holder, `${a}:${c}`, size);
        break;
      }
      case 'upper-bound': {
        // Its part of the document names roles (break-glass: eligibleRoles, none left: it bounds nobody), or it is in a
        // role's or grant's entry; else it bounds everyone.
        const parent = leaf.part.slice(0, leaf.part.lastIndexOf('.'));
        const namesRoles = Object.keys(POLICY_PARTS).some((p) => p.startsWith(`${parent}.`) && NAMES_ROLES.has(POLICY_PARTS[p]!));
        const bounded = [...(namesRoles ? rolesNamedUnder(leaf.at.slice(0, -1)) : []), ...(holder ? [holder] : [])];
        const everyone = !namesRoles && !holder;
        for (const h of everyone ? ['*'] : bounded) gain(h, path, typeof leaf.value === 'number' ? leaf.value : Infinity);
        break;
      }
      case 'requirement':
        break; // below: what the other document requires and this one does not
      case 'unknown':
        gain('*', `${path}=${JSON.stringify(leaf.value)}`);
    }
  }
  // A requirement the other document has and this one does not is a gain here, for the holders of its data class.
  const requirements = (d: unknown) =>
    (isObject(d) ? leaves(d) : []).filter((l) => POLICY_PARTS[l.part] === 'requirement').map((l) => ({ ...l, key: requirementKey(l) }));
  const here = new Set(requirements(doc).map((r) => r.key));
  for (const r of requirements(other)) {
    if (!here.has(r.key)) for (const h of holdersOfClass(r.at[1] ?? '')) gain(h, `without ${r.key}`);
  }
  return gains;
}

const asList = (v: Json | undefined): string[] => (Array.isArray(v) ? v.map(String) : []);
const requirementKey = (l: Leaf) => `${l.at.join('.')}:${String(l.value)}`;

/**
 * The roles and grants a policy change gives more to (see the top of this file); `everyone` when a part that bounds
 * no one in particular grows. Whoever holds one of them gains by the change.
 */
export function widenedByPolicy(before: unknown, after: unknown): { roles: Set<string>; grants: Set<string>; everyone: boolean } {
  const was = gainsOf(before, after);
  const now = gainsOf(after, before);
  const widened = new Set<string>();
  for (const [holder, gains] of now) {
    const had = was.get(holder);
    if ([...gains].some(([what, size]) => size > (had?.get(what) ?? -Infinity))) widened.add(holder);
  }
  const named = (kind: string) => new Set([...widened].filter((h) => h.startsWith(`${kind}:`)).map((h) => h.slice(kind.length + 1)));
  return { roles: named('role'), grants: named('grant'), everyone: widened.has('*') };
}
