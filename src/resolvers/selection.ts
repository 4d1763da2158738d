import { Kind, type GraphQLResolveInfo, type SelectionSetNode } from 'graphql';

/**
 * The names of the fields selected at `path` below the field being resolved (`['edges', 'node']` for a
 * connection's nodes), whatever their aliases, through fragment spreads and inline fragments. @skip and @include
 * are not evaluated: a field they leave out is still counted, and asking the FHIR server for more is only slower.
 */
export function selectedFields(info: Pick<GraphQLResolveInfo, 'fieldNodes' | 'fragments'>, path: readonly string[]): Set<string> {
  let sets: SelectionSetNode[] = info.fieldNodes.flatMap((n) => (n.selectionSet ? [n.selectionSet] : []));
  for (const name of path)
    sets = fieldsOf(sets, info.fragments).flatMap((f) => (f.name === name && f.selectionSet ? [f.selectionSet] : []));
  return new Set(fieldsOf(sets, info.fragments).map((f) => f.name));
}

function fieldsOf(
  sets: readonly SelectionSetNode[],
  fragments: GraphQLResolveInfo['fragments'],
  seen = new Set<string>(),
): { name: string; selectionSet?: SelectionSetNode }[] {
  return sets.flatMap((set) =>
    set.selections.flatMap((s) => {
      switch (s.kind) {
        case Kind.FIELD:
          return [{ name: s.name.value, ...(s.selectionSet ? { selectionSet: s.selectionSet } : {}) }];
        case Kind.INLINE_FRAGMENT:
          return fieldsOf([s.selectionSet], fragments, seen);
        case Kind.FRAGMENT_SPREAD: {
          // Validation forbids fragment cycles; `seen` keeps this safe even without it.
          const fragment = fragments[s.name.value];
          if (!fragment || seen.has(s.name.value)) return [];
          return fieldsOf([fragment.selectionSet], fragments, new Set([...seen, s.name.value]));
        }
      }
    }),
  );
}
