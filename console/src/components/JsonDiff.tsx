import { Fragment } from 'react';
import { json, label } from '../format';

// The exact before/after of a change, JSON-aware: the API's diff entries (JSON Pointer paths) in a table, and both
// documents pretty-printed side by side with every changed key highlighted.

export interface DiffEntry {
  readonly path: string;
  readonly op: string;
  readonly before?: unknown;
  readonly after?: unknown;
}

interface Line {
  readonly text: string;
  readonly path: string;
}

const escape = (s: string) => s.replace(/~/g, '~0').replace(/\//g, '~1');

/** Pretty-prints like JSON.stringify(v, null, 2), remembering the JSON Pointer each line shows. */
function lines(value: unknown, path: string, indent: string, prefix: string, suffix: string, out: Line[]): void {
  if (value !== null && typeof value === 'object') {
    const entries: [string, unknown][] = Array.isArray(value)
      ? value.map((v, i) => [String(i), v])
      : Object.entries(value).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    const [open, close] = Array.isArray(value) ? ['[', ']'] : ['{', '}'];
    if (entries.length === 0) {
      out.push({ text: `${indent}${prefix}${open}${close}${suffix}`, path });
      return;
    }
    out.push({ text: `${indent}${prefix}${open}`, path });
    entries.forEach(([k, v], i) => {
      const keyPrefix = Array.isArray(value) ? '' : `${JSON.stringify(k)}: `;
      lines(v, `${path}/${escape(k)}`, `${indent}  `, keyPrefix, i < entries.length - 1 ? ',' : '', out);
    });
    out.push({ text: `${indent}${close}${suffix}`, path });
    return;
  }
  out.push({ text: `${indent}${prefix}${value === undefined ? '(none)' : JSON.stringify(value)}${suffix}`, path });
}

function changed(path: string, paths: readonly string[]): boolean {
  return paths.some((p) => path === p || path.startsWith(`${p}/`));
}

function Side({ title, value, paths, kind }: { title: string; value: unknown; paths: readonly string[]; kind: 'before' | 'after' }) {
  const out: Line[] = [];
  lines(value, '', '', '', '', out);
  return (
    <figure className="json-side">
      <figcaption>{title}</figcaption>
      <pre data-testid={`json-${kind}`}>
        {out.map((l, i) => (
          <Fragment key={i}>
            {changed(l.path, paths) ? <mark className={kind}>{l.text}</mark> : <span>{l.text}</span>}
            {'\n'}
          </Fragment>
        ))}
      </pre>
    </figure>
  );
}

const OPS: Record<string, string> = { ADD: 'Added', REMOVE: 'Removed', REPLACE: 'Changed' };

export function JsonDiff({ before, after, diff }: { before: unknown; after: unknown; diff: readonly DiffEntry[] }) {
  const removed = diff.filter((d) => d.op !== 'ADD').map((d) => d.path);
  const added = diff.filter((d) => d.op !== 'REMOVE').map((d) => d.path);
  return (
    <section aria-labelledby="diff-heading">
      <h2 id="diff-heading">What changes</h2>
      <table className="diff" data-testid="diff-table">
        <caption className="visually-hidden">Changed keys</caption>
        <thead>
          <tr><th scope="col">Key</th><th scope="col">Change</th><th scope="col">Before</th><th scope="col">After</th></tr>
        </thead>
        <tbody>
          {diff.map((d) => (
            <tr key={`${d.op}${d.path}`}>
              <td className="mono">{d.path === '' ? '(whole value)' : d.path}</td>
              <td>{OPS[d.op] ?? label(d.op)}</td>
              <td className="mono"><del>{d.op === 'ADD' ? '' : json(d.before)}</del></td>
              <td className="mono"><ins>{d.op === 'REMOVE' ? '' : json(d.after)}</ins></td>
            </tr>
          ))}
        </tbody>
      </table>
      <div className="json-diff">
        <Side title="Before" value={before} paths={removed} kind="before" />
        <Side title="After" value={after} paths={added} kind="after" />
      </div>
    </section>
  );
}
