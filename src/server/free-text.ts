import { getDirective, MapperKind, mapSchema } from '@graphql-tools/utils';
import {
  defaultFieldResolver,
  getNullableType,
  isInputObjectType,
  isListType,
  type GraphQLArgument,
  type GraphQLInputField,
  type GraphQLInputType,
  type GraphQLSchema,
} from 'graphql';
import { BadUserInputError } from '../errors/errors.js';

// Free text a person writes for another person (a change's reason or ticket, an access request's justification, an
// approver's comment) is shown in the approval queue and the console and kept in the audit. A character that changes
// how the rest displays would let a requester show approvers one thing and record another: C0 and C1 control
// characters (an ANSI escape re-colours a terminal reading `clearance audit`), the bidirectional embeddings, overrides
// and isolates of Unicode UAX #9 (U+202A-U+202E, U+2066-U+2069: the "Trojan Source" characters, CVE-2021-42574), and
// lone surrogates (not text; no UTF-8 encoding). Tab and line breaks stay: reasons have paragraphs. Every argument and
// input field the SDL marks `@freeText` is checked here, once, before its resolver runs (after the permission layer,
// which wraps this schema: a caller refused the field learns nothing about its input).

const REFUSED = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F\u202A-\u202E\u2066-\u2069]|\p{Cs}/u;

/** Why `text` cannot be free text, or null. */
function freeTextProblem(text: string): string | null {
  const found = REFUSED.exec(text);
  if (!found) return null;
  const code = found[0].codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0');
  return `must not contain control characters, bidirectional overrides or isolates, or lone surrogates (U+${code} at ${found.index})`;
}

/** Checks one value of an input type: returns the first refused path below `path`, with its problem. */
type Check = (value: unknown, path: string) => { path: string; problem: string } | null;

const isFreeText = (schema: GraphQLSchema, node: GraphQLArgument | GraphQLInputField) => !!getDirective(schema, node, 'freeText')?.length;

/** A check for values of `type` when `marked`, or for the marked fields within it; null when nothing in it is marked. */
function checkFor(schema: GraphQLSchema, type: GraphQLInputType, marked: boolean, seen: Set<string>): Check | null {
  const inner = getNullableType(type);
  if (isListType(inner)) {
    const item = checkFor(schema, inner.ofType as GraphQLInputType, marked, seen);
    if (!item) return null;
    return (value, path) => {
      if (!Array.isArray(value)) return item(value, path);
      for (const [i, v] of value.entries()) {
        const hit = item(v, `${path}[${i}]`);
        if (hit) return hit;
      }
      return null;
    };
  }
  if (marked) {
    return (value, path) => {
      const problem = typeof value === 'string' ? freeTextProblem(value) : null;
      return problem ? { path, problem } : null;
    };
  }
  if (!isInputObjectType(inner) || seen.has(inner.name)) return null;
  const fields = Object.values(inner.getFields())
    .map((f) => ({ name: f.name, check: checkFor(schema, f.type, isFreeText(schema, f), new Set([...seen, inner.name])) }))
    .filter((f): f is { name: string; check: Check } => f.check !== null);
  if (fields.length === 0) return null;
  return (value, path) => {
    if (value === null || typeof value !== 'object') return null;
    for (const f of fields) {
      const hit = f.check((value as Record<string, unknown>)[f.name], path ? `${path}.${f.name}` : f.name);
      if (hit) return hit;
    }
    return null;
  };
}

/**
 * The schema with every field that takes `@freeText` input checked before it resolves: BAD_USER_INPUT naming the
 * argument (or the input field below an input-object argument, as the other input errors name it) and nothing done.
 */
export function applyFreeTextCheck(schema: GraphQLSchema): GraphQLSchema {
  return mapSchema(schema, {
    [MapperKind.OBJECT_FIELD]: (field) => {
      const checks = (field.args ? Object.entries(field.args) : [])
        .map(([name, arg]) => {
          const marked = isFreeText(schema, arg as GraphQLArgument);
          // An input-object argument's fields are named on their own (`reason`), a plain argument by its name.
          const check = checkFor(schema, arg.type, marked, new Set());
          return check ? { name, root: marked || isListType(getNullableType(arg.type)) ? name : '', check } : null;
        })
        .filter((c) => c !== null);
      if (checks.length === 0) return field;
      const resolve = field.resolve ?? defaultFieldResolver;
      return {
        ...field,
        resolve: (source, args: Record<string, unknown>, context, info) => {
          for (const c of checks) {
            const hit = c.check(args[c.name], c.root);
            if (hit) throw new BadUserInputError(`${hit.path} ${hit.problem}.`, hit.path);
          }
          return resolve(source, args, context, info);
        },
      };
    },
  });
}
