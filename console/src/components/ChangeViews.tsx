import type { ReactNode } from 'react';
import { dateTime, label } from '../format';
import type { ConsoleChangeFieldsFragment } from '../gql/graphql';
import { canonical, identityOf, listDiff } from '../list-diff';

// Every kind of change in words, each by its own small view; the raw JSON stays one click away (ChangeDetail). The
// views render what the API returned to this viewer: a field its rules mask is absent, and the view says so.

export type Change = ConsoleChangeFieldsFragment;
type Obj = Record<string, unknown>;

const isObj = (v: unknown): v is Obj => v !== null && typeof v === 'object' && !Array.isArray(v);
const text = (v: unknown): string => (typeof v === 'string' ? v : canonical(v));

/** A one-line title for a change, for the inbox and the page heading. */
export function changeTitle(c: Pick<Change, 'targetType' | 'key' | 'targetKey' | 'stopTarget' | 'after'>): string {
  const after = isObj(c.after) ? c.after : {};
  switch (c.targetType) {
    case 'SETTING': return c.key ?? c.targetKey;
    case 'SETTINGS': return `Settings ${c.targetKey.split(',').join(', ')} together`;
    case 'ASSIGNMENT': return `Roles of ${c.targetKey}`;
    case 'ACCESS_REQUEST': return `Access request of ${c.targetKey}`;
    case 'REFUND': return typeof after.amount === 'number' ? `Refund of ${money(after.amount, after.currency)}` : 'Refund';
    case 'EHR_WRITE': return `${typeof after.resourceType === 'string' ? after.resourceType : 'EHR write'} proposed for a patient`;
    case 'POLICY': return 'Access policy';
    case 'EMERGENCY_RESUME': return `Resume ${c.stopTarget ?? c.targetKey}`;
  }
}

function money(amount: unknown, currency: unknown): string {
  if (typeof amount !== 'number') return '(amount not shown)';
  try {
    return new Intl.NumberFormat('en-US', { style: 'currency', currency: typeof currency === 'string' ? currency : 'USD' }).format(amount);
  } catch {
    return `${amount} ${text(currency)}`;
  }
}

export function ChangeWords({ change }: { change: Change }) {
  return (
    <section aria-labelledby="words-heading" className="words" data-testid="change-words" data-kind={change.targetType}>
      <h2 id="words-heading">What this change does</h2>
      <View change={change} />
    </section>
  );
}

function View({ change: c }: { change: Change }) {
  switch (c.targetType) {
    case 'SETTING': return c.key?.startsWith('integration.') ? <ConnectorView change={c} /> : <SettingView change={c} />;
    // configureConnector's fields as one change: each field's before and after, compared key by key.
    case 'SETTINGS': return <SettingView change={c} />;
    case 'ASSIGNMENT': return <AssignmentView change={c} request={false} />;
    case 'ACCESS_REQUEST': return <AssignmentView change={c} request />;
    case 'REFUND': return <RefundView change={c} />;
    case 'EHR_WRITE': return <EhrWriteView change={c} />;
    case 'POLICY': return <PolicyView change={c} />;
    case 'EMERGENCY_RESUME': return <ResumeView change={c} />;
  }
}

function Origin({ change: c }: { change: Change }) {
  switch (c.origin.type) {
    case 'ROLLBACK': return <p>Rolls back to version {c.origin.toVersion}.</p>;
    case 'PROMOTION': return <p>Promotes the value of {label(c.origin.fromEnvironment ?? '')} version {c.origin.fromVersion}.</p>;
    case 'DIRECT':
    case 'ACCESS_REQUEST':
      return null;
  }
}

/** A value change in sentences: lists by identity, objects key by key, anything else before and after. */
function ValueChange({ before, after, path = '' }: { before: unknown; after: unknown; path?: string }): ReactNode {
  if (Array.isArray(before) && Array.isArray(after)) {
    const d = listDiff(before, after);
    if (d.added.length === 0 && d.removed.length === 0)
      return (
        <li>
          {path ? (
            <>
              <span className="mono">{path}</span>:{' '}
            </>
          ) : null}
          the same items in a new order
        </li>
      );
    return (
      <>
        {d.removed.map((x) => (
          <li key={`r${identityOf(x)}`} className="removed">
            {path && <span className="mono">{path}: </span>}
            <strong className="mono">{text(x)}</strong> removed
          </li>
        ))}
        {d.added.map((x) => (
          <li key={`a${identityOf(x)}`} className="added">
            {path && <span className="mono">{path}: </span>}
            <strong className="mono">{text(x)}</strong> added
          </li>
        ))}
      </>
    );
  }
  if (isObj(before) && isObj(after)) {
    const keys = [...new Set([...Object.keys(before), ...Object.keys(after)])]
      .sort()
      .filter((k) => canonical(before[k]) !== canonical(after[k]));
    return (
      <>
        {keys.map((k) => {
          const p = path ? `${path}.${k}` : k;
          if (!(k in before))
            return (
              <li key={k} className="added">
                <span className="mono">{p}</span> set to <strong className="mono">{text(after[k])}</strong>
              </li>
            );
          if (!(k in after))
            return (
              <li key={k} className="removed">
                <span className="mono">{p}</span> removed (was <span className="mono">{text(before[k])}</span>)
              </li>
            );
          return <ValueChange key={k} before={before[k]} after={after[k]} path={p} />;
        })}
      </>
    );
  }
  return (
    <li>
      {path ? <span className="mono">{path}</span> : 'Value'} from{' '}
      <del className="mono">{before === undefined || before === null ? '(not set)' : text(before)}</del> to{' '}
      <ins className="mono">{text(after)}</ins>
    </li>
  );
}

function SettingView({ change: c }: { change: Change }) {
  return (
    <>
      <p>Changes the setting <strong className="mono">{c.key}</strong> in {label(c.environment)}:</p>
      <ul className="changes" data-testid="value-changes"><ValueChange before={c.before} after={c.after} /></ul>
      <Origin change={c} />
    </>
  );
}

function ConnectorView({ change: c }: { change: Change }) {
  const [, connector = '', field = ''] = (c.key ?? '').split('.');
  const secret = /secret|credential|password|privateKey/i.test(c.key ?? '');
  return (
    <>
      <p>Changes the configuration of the <strong>{connector.toUpperCase()}</strong> connector ({field}) in {label(c.environment)}:</p>
      {secret
        ? <p>A credential: the value is write-only and is not shown to anyone.</p>
        : <ul className="changes" data-testid="value-changes"><ValueChange before={c.before} after={c.after} /></ul>}
      <Origin change={c} />
    </>
  );
}

interface Entry {
  readonly id?: string;
  readonly kind?: string;
  readonly name?: string;
  readonly patientId?: string | null;
  readonly departments?: readonly string[] | null;
  readonly environments?: readonly string[] | null;
  readonly expiresAt?: string | number | null;
  readonly grantedAt?: string | number | null;
  readonly source?: string;
  readonly revoked?: unknown;
}

const entriesOf = (v: unknown): Entry[] => (isObj(v) && Array.isArray(v.entries) ? (v.entries as Entry[]) : []);

/** `waiting`: the change is not applied yet (an access request's time then counts from the approval that applies it). */
function grantText(e: Entry, waiting = false): string {
  const what = e.kind === 'role' ? `the role ${e.name ?? '(hidden)'}` : `the grant ${e.name ?? e.kind ?? '(hidden)'}`;
  const depts = e.departments?.length ? `in ${e.departments.join(', ')}` : 'in the departments of their token';
  const envs = e.environments?.length ? `, ${e.environments.map(label).join(' and ')}` : '';
  // The stored dates of a waiting request are the request's: the apply sets grantedAt and expiresAt anew, so an
  // approver is shown the duration, not an end that will not hold.
  const minutes = e.grantedAt && e.expiresAt ? Math.round((+new Date(e.expiresAt) - +new Date(e.grantedAt)) / 60_000) : null;
  const until = !e.expiresAt
    ? ', standing (no expiry)'
    : waiting && e.source === 'access-request' && minutes !== null
      ? `, for ${minutes} minute${minutes === 1 ? '' : 's'} from the approval that applies it`
      : `, until ${dateTime(new Date(e.expiresAt).toISOString())}`;
  return `${what} ${depts}${envs}${until}`;
}

function AssignmentView({ change: c, request }: { change: Change; request: boolean }) {
  const sub = isObj(c.after) && typeof c.after.sub === 'string' ? c.after.sub : c.targetKey;
  const before = entriesOf(c.before);
  const after = entriesOf(c.after);
  const d = listDiff(before, after);
  const revoked = after.filter((e) => e.revoked && before.some((b) => b.id === e.id && !b.revoked));
  const waiting = c.status === 'PENDING' || c.status === 'APPROVED';
  return (
    <ul className="changes" data-testid="value-changes">
      {d.added.map((e) => (
        <li key={e.id} className="added">
          {request ? <><strong>{sub}</strong> asks for </> : <>Gives <strong>{sub}</strong> </>}
          {grantText(e, waiting)}
          {c.reason && <> — “{c.reason}”</>}
        </li>
      ))}
      {revoked.map((e) => <li key={e.id} className="removed">Revokes {grantText(e)} from <strong>{sub}</strong></li>)}
      {d.removed.map((e) => <li key={e.id} className="removed">Removes {grantText(e)} from <strong>{sub}</strong></li>)}
      {d.added.length + revoked.length + d.removed.length === 0 && <li>No role or grant of {sub} changes.</li>}
    </ul>
  );
}

function RefundView({ change: c }: { change: Change }) {
  const a = isObj(c.after) ? c.after : {};
  const threshold = isObj(a.threshold) ? a.threshold : null;
  return (
    <ul className="changes" data-testid="value-changes">
      <li>
        Refunds <strong>{money(a.amount, a.currency)}</strong> on invoice{' '}
        <span className="mono">{typeof a.invoiceId === 'string' ? a.invoiceId : '(not shown to you)'}</span>.
      </li>
      {threshold && <li>It waits for approval because it is above the threshold of {money(threshold.amount, threshold.currency)}.</li>}
      {c.reason && <li>Reason given: “{c.reason}”.</li>}
    </ul>
  );
}

/** The drug and dose under the names a proposal may carry them (our input names, or FHIR MedicationRequest's). */
function medication(a: Obj): { drug: string | null; dose: string | null } {
  const concept = isObj(a.medicationCodeableConcept) ? a.medicationCodeableConcept : null;
  const drug = typeof a.medication === 'string' ? a.medication : typeof concept?.text === 'string' ? concept.text : null;
  const instruction = Array.isArray(a.dosageInstruction) && isObj(a.dosageInstruction[0]) ? a.dosageInstruction[0] : null;
  const dose = typeof a.dosage === 'string' ? a.dosage : typeof instruction?.text === 'string' ? instruction.text : null;
  return { drug, dose };
}

/** The patient a proposal is for: our input name, or the FHIR resource's `subject` reference (Patient/<id>). */
function patientOf(a: Obj): string | null {
  if (typeof a.patientId === 'string') return a.patientId;
  const ref = isObj(a.subject) && typeof a.subject.reference === 'string' ? a.subject.reference : null;
  return ref?.startsWith('Patient/') ? ref.slice('Patient/'.length) : null;
}

function EhrWriteView({ change: c }: { change: Change }) {
  const a = isObj(c.after) ? c.after : {};
  const { drug, dose } = medication(a);
  const who = c.requester.kind === 'AGENT' ? `The AI agent ${c.requester.sub}` : c.requester.sub;
  const hidden = <span className="muted">not shown to you (your field rules)</span>;
  return (
    <>
      <p>
        {who} proposes writing a <strong>{typeof a.resourceType === 'string' ? a.resourceType : 'record'}</strong> to the EHR; it is written
        only once a clinician approves.
      </p>
      <dl className="facts" data-testid="medication">
        <dt>Drug</dt>
        <dd data-testid="medication-drug">{drug ?? hidden}</dd>
        <dt>Dose</dt>
        <dd data-testid="medication-dose">{dose ?? hidden}</dd>
        <dt>Patient</dt>
        <dd data-testid="medication-patient" className="mono">
          {patientOf(a) ?? hidden}
        </dd>
        {typeof a.promptTemplateVersion === 'string' && (
          <>
            <dt>Prompt template</dt>
            <dd className="mono">{a.promptTemplateVersion}</dd>
          </>
        )}
      </dl>
    </>
  );
}

interface Permission {
  readonly dataClasses?: readonly string[];
  readonly actions?: readonly string[];
  readonly scope?: string;
}

const permissionText = (p: Permission) =>
  `${(p.actions ?? []).join(' and ')} ${(p.dataClasses ?? []).join(', ')} (${p.scope ?? 'any'} scope)`;

/** A policy change rule by rule: per role the permissions added and removed, then the other sections that moved. */
function PolicyView({ change: c }: { change: Change }) {
  const b = isObj(c.before) ? c.before : {};
  const a = isObj(c.after) ? c.after : {};
  const rolesB = isObj(b.roles) ? b.roles : {};
  const rolesA = isObj(a.roles) ? a.roles : {};
  const names = [...new Set([...Object.keys(rolesB), ...Object.keys(rolesA)])].sort();
  const perms = (r: unknown): Permission[] => (isObj(r) && Array.isArray(r.permissions) ? (r.permissions as Permission[]) : []);
  const rows: ReactNode[] = [];
  for (const name of names) {
    const rb = rolesB[name];
    const ra = rolesA[name];
    if (canonical(rb) === canonical(ra)) continue;
    if (rb === undefined) {
      rows.push(
        <li key={name} className="added">
          New role <strong>{name}</strong>: {perms(ra).map(permissionText).join('; ') || 'no permissions'}
        </li>,
      );
      continue;
    }
    if (ra === undefined) { rows.push(<li key={name} className="removed">Role <strong>{name}</strong> removed</li>); continue; }
    // The same permission with fewer data classes reads as that, not as one rule removed and another added.
    const d = listDiff(perms(rb), perms(ra), (p) => `${(p.actions ?? []).join()}|${p.scope ?? ''}`);
    const changed = d.kept.flatMap((p) => {
      const old = perms(rb).find((x) => `${(x.actions ?? []).join()}|${x.scope ?? ''}` === `${(p.actions ?? []).join()}|${p.scope ?? ''}`);
      if (!old || canonical(old) === canonical(p)) return [];
      const lost = listDiff(old.dataClasses ?? [], p.dataClasses ?? []);
      return [
        `${(p.actions ?? []).join(' and ')} (${p.scope ?? 'any'} scope): ` +
        `${[...lost.removed.map((x) => `${x} removed`), ...lost.added.map((x) => `${x} added`)].join(', ')}`,
      ];
    });
    const others = Object.keys({ ...(isObj(rb) ? rb : {}), ...(isObj(ra) ? ra : {}) }).filter(
      (k) => k !== 'permissions' && canonical((rb as Obj)[k]) !== canonical((ra as Obj)[k]),
    );
    rows.push(
      <li key={name}>
        Role <strong>{name}</strong>:
        <ul>
          {changed.map((t) => <li key={t}>{t}</li>)}
          {d.removed.map((p) => <li key={`r${canonical(p)}`} className="removed">may no longer {permissionText(p)}</li>)}
          {d.added.map((p) => <li key={`a${canonical(p)}`} className="added">may now {permissionText(p)}</li>)}
          {others.map((k) => <li key={k}>{k} changed</li>)}
        </ul>
      </li>,
    );
  }
  const sections = Object.keys({ ...b, ...a }).filter(
    (k) => k !== 'roles' && k !== 'version' && k !== 'description' && canonical(b[k]) !== canonical(a[k]),
  );
  return (
    <>
      <p>Policy version <span className="mono">{text(b.version)}</span> → <span className="mono">{text(a.version)}</span>, rule by rule:</p>
      <ul className="changes" data-testid="value-changes">
        {rows}
        {sections.map((k) => <ValueChange key={k} before={b[k]} after={a[k]} path={k} />)}
        {rows.length + sections.length === 0 && <li>No rule changes.</li>}
      </ul>
    </>
  );
}

function ResumeView({ change: c }: { change: Change }) {
  const b = isObj(c.before) ? c.before : {};
  return (
    <ul className="changes" data-testid="value-changes">
      <li>Resumes <strong className="mono">{c.stopTarget ?? c.targetKey}</strong> in {label(c.environment)}.</li>
      {b.stopped === true && (
        <li>
          It was stopped{typeof b.by === 'string' && <> by {b.by}</>}{typeof b.at === 'string' && <> at {dateTime(b.at)}</>}
          {typeof b.reason === 'string' && <>, because “{b.reason}”</>}.
        </li>
      )}
    </ul>
  );
}
