import { GraphQLError, GraphQLScalarType, Kind, type ValueNode } from 'graphql';

// `scalar JSON`: setting values, change before/after, diff values. Output is passed through as is (the values are
// JSON already). Input comes as a variable (already JSON) or as a literal in the query; both are bounded in depth,
// so a hostile value cannot exhaust the stack of the validators behind it. The meaning of a value is checked by
// the setting's schema where it is used, never here.

const MAX_JSON_DEPTH = 32;

function tooDeep(): GraphQLError {
  return new GraphQLError(`JSON values may nest at most ${MAX_JSON_DEPTH} levels.`);
}

function checkDepth(value: unknown, depth: number): void {
  if (depth > MAX_JSON_DEPTH) throw tooDeep();
  if (Array.isArray(value)) for (const v of value) checkDepth(v, depth + 1);
  else if (value !== null && typeof value === 'object') for (const v of Object.values(value)) checkDepth(v, depth + 1);
}

function fromLiteral(node: ValueNode, variables: Record<string, unknown> | null | undefined, depth: number): unknown {
  if (depth > MAX_JSON_DEPTH) throw tooDeep();
  switch (node.kind) {
    case Kind.STRING:
    case Kind.BOOLEAN:
      return node.value;
    case Kind.INT:
    case Kind.FLOAT:
      return Number(node.value);
    case Kind.NULL:
      return null;
    case Kind.LIST:
      return node.values.map((v) => fromLiteral(v, variables, depth + 1) ?? null);
    case Kind.OBJECT:
      // fromEntries defines own properties: a "__proto__" key stays a key, never a prototype.
      return Object.fromEntries(
        node.fields.map((f) => [f.name.value, fromLiteral(f.value, variables, depth + 1)] as const).filter(([, v]) => v !== undefined),
      );
    case Kind.VARIABLE: {
      const value = variables?.[node.name.value];
      checkDepth(value, depth);
      return value;
    }
    case Kind.ENUM:
      throw new GraphQLError('JSON literals cannot contain enum values: quote strings.');
  }
}

export const JsonScalar = new GraphQLScalarType({
  name: 'JSON',
  description: 'Any JSON value.',
  serialize: (value) => value,
  parseValue: (value) => {
    checkDepth(value, 0);
    return value;
  },
  parseLiteral: (node, variables) => fromLiteral(node, variables, 0),
});
