import { useEffect, useState, type FormEvent } from 'react';
import { describeError, forbiddenAt, gql, type GqlError } from '../api';
import { label } from '../format';
import type { ConsoleSettingsQuery, Environment } from '../gql/graphql';
import { RequestAccessMutation, SettingsQuery, UpdateSettingMutation } from '../operations';
import { useQuery } from '../useQuery';
import { Errors, LockIcon, Locked, RiskBadge } from './Badges';

type Setting = NonNullable<ConsoleSettingsQuery['settingsCatalog']>[number];

const STATUS_TEXT: Record<string, string> = {
  DEFAULT: 'Active (default)',
  ACTIVE: 'Active',
  PENDING_REVIEW: 'Pending review',
  APPROVED: 'Approved',
};

export function SettingsView({ token }: { token: string }) {
  const [environment, setEnvironment] = useState<Environment>('PRODUCTION');
  const [search, setSearch] = useState('');
  const { loading, result, reload } = useQuery(SettingsQuery, { environment }, token);
  const denied = result && forbiddenAt(result.errors, 'settingsCatalog');
  const settings = (result?.data?.settingsCatalog ?? []).filter(
    (s) => s.key.includes(search.trim()) || s.description.toLowerCase().includes(search.trim().toLowerCase()),
  );

  return (
    <>
      <div className="heading-row">
        <h1>Settings</h1>
        <div className="toolbar">
          <label htmlFor="settings-env">Environment</label>
          <select id="settings-env" value={environment} onChange={(e) => setEnvironment(e.target.value as Environment)}>
            <option value="PRODUCTION">Production</option>
            <option value="STAGING">Staging</option>
          </select>
          <label htmlFor="settings-search">Filter</label>
          <input id="settings-search" type="search" value={search} onChange={(e) => setSearch(e.target.value)} placeholder="key or words" />
        </div>
      </div>
      {denied ? <Locked title="Settings" reason={describeError(denied)} testId="settings-locked" /> : (
        <>
          <p role="status" className="muted">{loading ? 'Loading…' : `${settings.length} settings in ${label(environment)}.`}</p>
          {result && !denied && <Errors errors={result.errors} />}
          <ul className="settings">
            {settings.map((s) => <SettingCard key={`${s.environment}:${s.key}`} setting={s} token={token} onChanged={reload} />)}
          </ul>
        </>
      )}
    </>
  );
}

type Editor =
  | { kind: 'boolean'; value: boolean }
  | { kind: 'number'; value: string }
  | { kind: 'string'; value: string }
  | { kind: 'json'; value: string };

function editorFor(value: unknown): Editor {
  if (typeof value === 'boolean') return { kind: 'boolean', value };
  if (typeof value === 'number') return { kind: 'number', value: String(value) };
  if (typeof value === 'string') return { kind: 'string', value };
  return { kind: 'json', value: JSON.stringify(value, null, 2) };
}

function valueOf(editor: Editor): { ok: true; value: unknown } | { ok: false; message: string } {
  switch (editor.kind) {
    case 'boolean':
      return { ok: true, value: editor.value };
    case 'number':
      return editor.value.trim() !== '' && Number.isFinite(Number(editor.value))
        ? { ok: true, value: Number(editor.value) }
        : { ok: false, message: 'Enter a number.' };
    case 'string':
      return { ok: true, value: editor.value };
    case 'json':
      try {
        return { ok: true, value: JSON.parse(editor.value) as unknown };
      } catch {
        return { ok: false, message: 'The value is not valid JSON.' };
      }
  }
}

function SettingCard({ setting: s, token, onChanged }: { setting: Setting; token: string; onChanged: () => void }) {
  const [editor, setEditor] = useState<Editor>(() => editorFor(s.value));
  const [reason, setReason] = useState('');
  const [ticket, setTicket] = useState('');
  const [asking, setAsking] = useState(false);
  const [justification, setJustification] = useState('');
  const [minutes, setMinutes] = useState('60');
  const [busy, setBusy] = useState(false);
  const [errors, setErrors] = useState<readonly GqlError[]>([]);
  const [done, setDone] = useState<{ text: string; changeId: string | null } | null>(null);

  // A new version (applied by anyone) replaces the draft; the result message stays.
  const current = JSON.stringify(s.value);
  useEffect(() => setEditor(editorFor(JSON.parse(current) as unknown)), [current, s.version]);

  const parsed = valueOf(editor);
  const draft = parsed.ok && JSON.stringify(parsed.value) !== JSON.stringify(s.value);
  const id = `setting-${s.key.replace(/[^A-Za-z0-9]/g, '-')}`;
  const badge =
    done?.changeId && done.text.startsWith('Sent') ? 'Sent for approval' : draft ? 'Draft' : (STATUS_TEXT[s.status] ?? label(s.status));
  // Sent for approval: the card is no longer an editable draft (a second click would file a second, identical change).
  const sent = done !== null && done.changeId !== null && !asking;
  const disabled = !s.canEdit || busy || sent;

  const propose = async (e: FormEvent) => {
    e.preventDefault();
    if (!parsed.ok || busy || sent) return;
    setBusy(true);
    setErrors([]);
    const r = await gql(
      UpdateSettingMutation,
      {
        input: {
          key: s.key,
          environment: s.environment,
          value: parsed.value,
          reason: reason.trim() || null,
          ticket: ticket.trim() || null,
          expectedVersion: s.version,
        },
      },
      token,
    );
    setBusy(false);
    const res = r.data?.updateSetting;
    if (!res) return setErrors(r.errors.map((x) => ({ ...x, message: describeError(x) })));
    setDone(res.status === 'APPLIED'
      ? { text: `Applied: version ${res.version}.`, changeId: null }
      : { text: `Sent for approval: ${res.changeRequest.approvalStatus.summary}.`, changeId: res.changeRequest.id });
    onChanged();
  };

  const requestAccess = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setErrors([]);
    const r = await gql(
      RequestAccessMutation,
      { input: { requestedRole: s.ownerRole, justification: justification.trim(), durationMinutes: Number(minutes) } },
      token,
    );
    setBusy(false);
    const res = r.data?.requestAccess;
    if (!res) return setErrors(r.errors.map((x) => ({ ...x, message: describeError(x) })));
    setAsking(false);
    setDone({ text: `Access request sent: ${res.changeRequest.approvalStatus.summary}.`, changeId: res.changeRequest.id });
  };

  return (
    <li className="setting card" id={id} data-testid={`setting-${s.key}`} aria-labelledby={`${id}-key`}>
      <div className="setting-head">
        <h2 id={`${id}-key`} className="mono">
          {s.key}
        </h2>
        <span className={`badge status-${draft ? 'draft' : s.status.toLowerCase()}`} data-testid="setting-status">
          {badge}
        </span>
        <RiskBadge risk={s.risk} />
        {!s.canEdit && (
          <span className="badge locked-badge">
            <LockIcon />
            Locked
          </span>
        )}
      </div>
      <p>{s.description}</p>
      <p className="muted small" data-testid="setting-owner">
        Owner: {s.ownerFunction} ({s.ownerRole}) · version {s.version} ·{' '}
        {s.requiresApproval ? `needs approval: ${s.approvalPath.summary}` : 'applies at once'}
      </p>
      {s.pendingChange && s.pendingChange.id !== done?.changeId && (
        <p className="banner" data-testid="setting-pending">
          A change to this setting is already waiting for approval:{' '}
          <a href={`#/change/${encodeURIComponent(s.pendingChange.id)}`}>open the pending change</a>. A new proposal would compete with it.
        </p>
      )}
      {!s.canEdit && s.lockedReason && (
        <p className="cannot" id={`${id}-locked`} data-testid="setting-locked-reason">
          {s.lockedReason}
        </p>
      )}

      <form onSubmit={(e) => void propose(e)} className="stack" aria-describedby={!s.canEdit ? `${id}-locked` : undefined}>
        <ValueEditor id={`${id}-value`} editor={editor} onChange={setEditor} disabled={disabled} />
        {!parsed.ok && (
          <p className="error" role="alert">
            {parsed.message}
          </p>
        )}
        {s.canEdit && draft && !sent && (
          <div className="form-grid">
            <label htmlFor={`${id}-reason`}>Reason{s.risk !== 'LOW' ? ' (required)' : ''}</label>
            <input id={`${id}-reason`} value={reason} onChange={(e) => setReason(e.target.value)} required={s.risk !== 'LOW'} />
            <label htmlFor={`${id}-ticket`}>Ticket</label>
            <input id={`${id}-ticket`} value={ticket} onChange={(e) => setTicket(e.target.value)} />
            <span />
            <div className="action-row">
              <button type="submit" disabled={busy || !parsed.ok}>
                {s.requiresApproval ? 'Propose change' : 'Apply change'}
              </button>
              <button type="button" className="secondary" onClick={() => setEditor(editorFor(s.value))}>
                Discard draft
              </button>
            </div>
          </div>
        )}
      </form>

      {!s.canEdit && !asking && !done && (
        <button type="button" className="secondary" onClick={() => setAsking(true)}>
          Request access…
        </button>
      )}
      {asking && (
        <form onSubmit={(e) => void requestAccess(e)} className="form-grid request-access">
          <span>Role</span>
          <span className="mono">{s.ownerRole}</span>
          <label htmlFor={`${id}-just`}>Justification (required)</label>
          <input id={`${id}-just`} value={justification} onChange={(e) => setJustification(e.target.value)} required />
          <label htmlFor={`${id}-mins`}>For (minutes)</label>
          <input id={`${id}-mins`} type="number" min={5} max={1440} value={minutes} onChange={(e) => setMinutes(e.target.value)} />
          <span />
          <div className="action-row">
            <button type="submit" disabled={busy || justification.trim() === ''}>
              Send access request
            </button>
            <button type="button" className="secondary" onClick={() => setAsking(false)}>
              Cancel
            </button>
          </div>
        </form>
      )}
      <div aria-live="polite">
        {done && (
          <p className="ok-msg" role="status" data-testid="setting-result">
            {done.text} {done.changeId && <a href={`#/change/${encodeURIComponent(done.changeId)}`}>Open the change</a>}
          </p>
        )}
      </div>
      <Errors errors={errors} />
    </li>
  );
}

function ValueEditor({ id, editor, onChange, disabled }: { id: string; editor: Editor; onChange: (e: Editor) => void; disabled: boolean }) {
  switch (editor.kind) {
    case 'boolean':
      return (
        <label className="check" htmlFor={id}>
          <input
            id={id}
            type="checkbox"
            checked={editor.value}
            disabled={disabled}
            onChange={(e) => onChange({ kind: 'boolean', value: e.target.checked })}
          />{' '}
          Enabled
        </label>
      );
    case 'number':
      return (
        <>
          <label htmlFor={id}>Value</label>
          <input
            id={id}
            type="number"
            value={editor.value}
            disabled={disabled}
            onChange={(e) => onChange({ kind: 'number', value: e.target.value })}
          />
        </>
      );
    case 'string':
      return (
        <>
          <label htmlFor={id}>Value</label>
          <input id={id} value={editor.value} disabled={disabled} onChange={(e) => onChange({ kind: 'string', value: e.target.value })} />
        </>
      );
    case 'json':
      return (
        <>
          <label htmlFor={id}>Value (JSON)</label>
          <textarea
            id={id}
            className="mono"
            rows={Math.min(12, editor.value.split('\n').length + 1)}
            value={editor.value}
            disabled={disabled}
            spellCheck={false}
            onChange={(e) => onChange({ kind: 'json', value: e.target.value })}
          />
        </>
      );
  }
}
