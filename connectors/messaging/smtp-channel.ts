import nodemailer from 'nodemailer';
import type { Transporter } from 'nodemailer';
import { ConnectorError } from '../common/connector-error.js';
import { Resilience } from '../common/resilient-call.js';

// Email over SMTP through nodemailer, behind the shared circuit and deadline. A send is not idempotent (a second
// attempt can deliver twice), so it is never retried here; the caller records the outcome. A refused recipient
// (SMTP 5xx) is REJECTED, a dead peer UNAVAILABLE, a hung one TIMEOUT; the peer's reply text is never passed on.

export interface EmailMessage {
  readonly to: string;
  readonly subject: string;
  readonly text: string;
  /** Fixed per message, so the peer and the recipient can tell a duplicate. */
  readonly messageId: string;
}

export interface EmailChannel {
  send(message: EmailMessage): Promise<{ readonly accepted: boolean }>;
  readonly resilience: Resilience;
}

function classify(operation: string, err: unknown): ConnectorError {
  const e = err as { responseCode?: number; code?: string; name?: string };
  if (typeof e.responseCode === 'number' && e.responseCode >= 500)
    return new ConnectorError('smtp', 'REJECTED', e.responseCode, `smtp: ${operation} was refused (SMTP ${e.responseCode})`);
  if (typeof e.responseCode === 'number' && e.responseCode >= 400)
    return new ConnectorError('smtp', 'UNAVAILABLE', e.responseCode, `smtp: ${operation} was deferred (SMTP ${e.responseCode})`);
  if (e.name === 'TimeoutError' || e.code === 'ETIMEDOUT')
    return new ConnectorError('smtp', 'TIMEOUT', null, `smtp: ${operation} timed out`);
  return new ConnectorError('smtp', 'UNAVAILABLE', null, `smtp: ${operation} could not reach the server${e.code ? ` (${e.code})` : ''}`);
}

/** `url` null: nodemailer's jsonTransport, which delivers nowhere (the embedded default without SMTP_URL). */
export class SmtpChannel implements EmailChannel {
  readonly resilience: Resilience;
  private readonly transport: Transporter;

  constructor(private readonly options: { url: string | null; from: string; timeoutMs: number }) {
    const { url, timeoutMs } = options;
    const timeouts = `connectionTimeout=${timeoutMs}&greetingTimeout=${timeoutMs}&socketTimeout=${timeoutMs}`;
    this.transport = url
      ? nodemailer.createTransport(`${url}${url.includes('?') ? '&' : '?'}${timeouts}`)
      : nodemailer.createTransport({ jsonTransport: true });
    this.resilience = new Resilience({ connector: 'smtp', timeoutMs, classify, circuit: { failureThreshold: 5, coolDownMs: 30_000 } });
  }

  async send(message: EmailMessage): Promise<{ readonly accepted: boolean }> {
    return this.resilience.call(
      'send',
      async () => {
        const { to, subject, text, messageId } = message;
        const info = (await this.transport.sendMail({ from: this.options.from, to, subject, text, messageId })) as { rejected?: unknown[] };
        if ((info.rejected ?? []).length > 0) throw Object.assign(new Error('rejected'), { responseCode: 550 });
        return { accepted: true };
      },
      { idempotent: false },
    );
  }
}

/** Production without SMTP_URL: every send fails as UNAVAILABLE (recorded, never silently dropped). */
export class UnconfiguredSmtpChannel implements EmailChannel {
  readonly resilience = new Resilience({ connector: 'smtp', timeoutMs: 1_000 });

  send(): Promise<{ readonly accepted: boolean }> {
    return Promise.reject(new ConnectorError('smtp', 'UNAVAILABLE', null, 'smtp: no SMTP server is configured (SMTP_URL)'));
  }
}
