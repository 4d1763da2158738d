import { label } from '../format';

export function StatusBadge({ status }: { status: string }) {
  return <span className={`badge status-${status.toLowerCase()}`}>{label(status)}</span>;
}

export function RiskBadge({ risk }: { risk: string }) {
  return <span className={`badge risk-${risk.toLowerCase()}`}>{label(risk)} risk</span>;
}

export function EnvBadge({ environment }: { environment: string }) {
  return <span className={`badge env-${environment.toLowerCase()}`}>{label(environment)}</span>;
}

/** Drawn here, not an emoji: nothing depends on the fonts installed. */
export function LockIcon() {
  return (
    <svg className="lock-icon" aria-hidden="true" viewBox="0 0 16 16" width="14" height="14">
      <path d="M4 7V5a4 4 0 0 1 8 0v2h1v8H3V7h1zm2 0h4V5a2 2 0 0 0-4 0v2z" fill="currentColor" />
    </svg>
  );
}

/** A denied field or section: the API's reason, shown where the content would be. */
export function Locked({ title, reason, testId }: { title: string; reason: string; testId?: string }) {
  return (
    <section className="locked" aria-label={`${title} (locked)`} data-testid={testId}>
      <h2><LockIcon />{title} is locked</h2>
      <p>{reason}</p>
    </section>
  );
}

export function Errors({ errors }: { errors: readonly { message: string }[] }) {
  if (errors.length === 0) return null;
  return (
    <div role="alert" className="error">
      {errors.map((e, i) => <p key={i}>{e.message}</p>)}
    </div>
  );
}
