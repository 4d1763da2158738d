import {
  GraphQLError,
  Kind,
  Source,
  concatAST,
  getNamedType,
  isCompositeType,
  parse,
  typeFromAST,
  validate,
  type DefinitionNode,
  type DocumentNode,
  type FragmentDefinitionNode,
  type GraphQLCompositeType,
  type GraphQLSchema,
  type OperationDefinitionNode,
  type SelectionSetNode,
} from 'graphql';
import { compilePrincipalPolicy } from '../../rules/decide.js';
import type { Explanation } from '../../rules/explanation.js';
import { explainFieldAccess } from '../../rules/explain-field.js';
import type { PolicyDocument } from '../../rules/policy-document.js';
import type { Principal } from '../auth/principal.js';
import { accessRequestPath } from '../governance/approval-path.js';
import { DEFAULT_APPROVAL_RULES } from '../governance/approval-rules.js';

// `clearance operations check`: a frontend's operations against the schema and the policy, at build time. Every
// field an operation selects (through fragments too) is put to the same function `explainField` answers with
// (rules/explain-field.ts), for each role: the report says which fields that role would be denied, and why.
// Pure: files come in as text, the report goes out as data; the command prints it.

export interface OperationFile {
  readonly name: string;
  readonly body: string;
}

interface FieldFinding {
  /** Response path of the field (`patient.notes`), with aliases as the client sees them. */
  readonly path: string;
  /** `Type.field`, as `explainField(type:, field:)` takes it. */
  readonly field: string;
  readonly explanation: Explanation;
}

interface RoleReport {
  readonly role: string;
  readonly allowed: number;
  readonly denied: readonly FieldFinding[];
  /** Allowed only for some rows (department-scoped): expect FORBIDDEN per row outside the caller's departments. */
  readonly perRow: readonly string[];
}

interface OperationReport {
  readonly file: string;
  readonly name: string;
  readonly operation: 'query' | 'mutation' | 'subscription';
  readonly roles: readonly RoleReport[];
}

interface CheckProblem {
  readonly file: string | null;
  readonly line: number | null;
  readonly message: string;
}

export interface OperationsCheckReport {
  readonly policyVersion: string;
  readonly errors: readonly CheckProblem[];
  readonly operations: readonly OperationReport[];
}

export interface CheckOptions {
  readonly schema: GraphQLSchema;
  readonly policy: PolicyDocument;
  readonly roles: readonly string[];
  readonly departments: readonly string[];
  readonly at: string;
}

function problemOf(e: GraphQLError): CheckProblem {
  const loc = e.locations?.[0];
  return { file: e.source?.name ?? null, line: loc?.line ?? null, message: e.message };
}

interface Selected {
  readonly path: string;
  readonly type: string;
  readonly field: string;
}

/** Every field the operation selects, with fragments expanded (each fragment once per path, so cycles end). */
function selectedFields(
  schema: GraphQLSchema,
  op: OperationDefinitionNode,
  fragments: ReadonlyMap<string, FragmentDefinitionNode>,
): Selected[] {
  const out: Selected[] = [];
  const root = schema.getRootType(op.operation);
  if (!root) return out;
  const walk = (set: SelectionSetNode, parent: GraphQLCompositeType, prefix: string, seen: ReadonlySet<string>): void => {
    for (const sel of set.selections) {
      switch (sel.kind) {
        case Kind.FIELD: {
          const name = sel.name.value;
          if (name.startsWith('__')) continue; // __typename and introspection: not policy fields
          const def = 'getFields' in parent ? parent.getFields()[name] : undefined;
          if (!def) continue; // not in the schema: validation reports it
          const path = prefix ? `${prefix}.${sel.alias?.value ?? name}` : (sel.alias?.value ?? name);
          out.push({ path, type: parent.name, field: name });
          const next = getNamedType(def.type);
          if (sel.selectionSet && isCompositeType(next)) walk(sel.selectionSet, next, path, seen);
          break;
        }
        case Kind.INLINE_FRAGMENT: {
          const t = sel.typeCondition ? typeFromAST(schema, sel.typeCondition) : parent;
          if (t && isCompositeType(t)) walk(sel.selectionSet, t, prefix, seen);
          break;
        }
        case Kind.FRAGMENT_SPREAD: {
          const frag = fragments.get(sel.name.value);
          if (!frag || seen.has(frag.name.value)) continue;
          const t = typeFromAST(schema, frag.typeCondition);
          if (t && isCompositeType(t)) walk(frag.selectionSet, t, prefix, new Set([...seen, frag.name.value]));
          break;
        }
        default: {
          const unreachable: never = sel;
          throw new Error(`unknown selection ${JSON.stringify(unreachable)}`);
        }
      }
    }
  };
  walk(op.selectionSet, root, '', new Set());
  return out;
}

function principalFor(role: string, departments: readonly string[]): Principal {
  return {
    sub: 'operations-check',
    tenant: 'operations-check',
    kind: 'user',
    roles: [role],
    departments,
    mfa: true,
    scopes: null,
    grants: [],
  };
}

export function checkOperations(files: readonly OperationFile[], options: CheckOptions): OperationsCheckReport {
  const { schema, policy } = options;
  const errors: CheckProblem[] = [];
  const documents: DocumentNode[] = [];
  for (const file of files) {
    try {
      documents.push(parse(new Source(file.body, file.name)));
    } catch (e) {
      if (!(e instanceof GraphQLError)) throw e;
      errors.push(problemOf(e));
    }
  }
  // One document, as graphql-codegen sees a project: fragments may live in another file than the operation.
  const all = concatAST(documents);
  const fragments = new Map<string, FragmentDefinitionNode>();
  const operations: { op: OperationDefinitionNode; file: string }[] = [];
  for (const def of all.definitions as readonly DefinitionNode[]) {
    if (def.kind === Kind.FRAGMENT_DEFINITION) fragments.set(def.name.value, def);
    else if (def.kind === Kind.OPERATION_DEFINITION) operations.push({ op: def, file: def.loc?.source.name ?? '?' });
    else
      errors.push({
        file: def.loc?.source.name ?? null,
        line: null,
        message: `${def.kind}: only operations and fragments belong in a frontend's documents`,
      });
  }
  errors.push(...validate(schema, all).map(problemOf));
  if (documents.length === 0 && errors.length === 0) errors.push({ file: null, line: null, message: 'no documents' });
  const compiled = options.roles.map((role) => ({
    role,
    access: compilePrincipalPolicy(policy, principalFor(role, options.departments), {
      approvalPathOf: (want) => accessRequestPath(DEFAULT_APPROVAL_RULES, policy, want, 'user'),
    }),
  }));
  const reports = operations.map(({ op, file }): OperationReport => {
    const fields = selectedFields(schema, op, fragments);
    return {
      file,
      name: op.name?.value ?? '(anonymous)',
      operation: op.operation,
      roles: compiled.map(({ role, access }) => {
        const denied: FieldFinding[] = [];
        const perRow: string[] = [];
        for (const f of fields) {
          const answer = explainFieldAccess(f.type, f.field, access, options.at);
          if (answer.explanation.decision !== 'ALLOW')
            denied.push({ path: f.path, field: `${f.type}.${f.field}`, explanation: answer.explanation });
          else if (answer.dependsOnRow) perRow.push(f.path);
        }
        return { role, allowed: fields.length - denied.length, denied, perRow };
      }),
    };
  });
  return { policyVersion: policy.version, errors, operations: reports };
}

/** The report for people: one block per operation, one line per role, one line per denied field. */
export function formatReport(report: OperationsCheckReport): string {
  const lines: string[] = [];
  for (const e of report.errors) lines.push(`error: ${e.file ?? ''}${e.line ? `:${e.line}` : ''}${e.file ? ': ' : ''}${e.message}`);
  for (const op of report.operations) {
    lines.push(`${op.file}: ${op.operation} ${op.name}`);
    for (const r of op.roles) {
      const extra = r.perRow.length ? `; per row (department): ${r.perRow.join(', ')}` : '';
      lines.push(`  ${r.role}: ${r.denied.length === 0 ? 'every field allowed' : `${r.denied.length} field(s) denied`}${extra}`);
      for (const d of r.denied) {
        const x = d.explanation;
        lines.push(`    DENY ${d.path} (${d.field}) ${x.rule}${x.failedScope ? ` [${x.failedScope}]` : ''}: ${x.message}`);
      }
    }
  }
  lines.push(`policy ${report.policyVersion}: ${report.operations.length} operation(s), ${report.errors.length} error(s)`);
  return `${lines.join('\n')}\n`;
}
