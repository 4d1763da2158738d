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
  if (typeof e.responseCode === 'number' && e.responseCode >= 500) return new ConnectorError('smtp', 'REJECTED', e.responseCode, `smtp: ${operation} was refused (SMTP ${e.responseCode})`);
  if (typeof e.responseCode === 'number' && e.responseCode >= 400) return new ConnectorError('smtp', 'UNAVAILABLE', e.responseCode, `smtp: ${operation} was deferred (SMTP ${e.responseCode})`);
  if (e.name === 'TimeoutError' || e.code === 'ETIMEDOUT') return new ConnectorError('smtp', 'TIMEOUT', null, `smtp: ${operation} timed out`);
  return new ConnectorError('smtp', 'UNAVAILABLE', null, `smtp: ${operation} could not reach the server${e.code ? ` (${e.code})` : ''}`);
}

export function createSmtpChannel(options: { url: string | null; from: string; timeoutMs: number }): EmailChannel {
  const transport: Transporter = options.url
    ? nodemailer.createTransport(`${options.url}${options.url.includes('?') ? '&' : '?'}connectionTimeout=${options.timeoutMs}&greetingTimeout=${options.timeoutMs}&socketTimeout=${options.timeoutMs}`)
    : nodemailer.createTransport({ jsonTransport: true });
  const resilience = new Resilience({ connector: 'smtp', timeoutMs: options.timeoutMs, classify, circuit: { failureThreshold: 5, coolDownMs: 30_000 } });
  return {
    resilience,
    async send(message) {
      return resilience.call(
        'send',
        async () => {
          const info = (await transport.sendMail({ from: options.from, to: message.to, subject: message.subject, text: message.text, messageId: message.messageId })) as { rejected?: unknown[] };
          if ((info.rejected ?? []).length > 0) throw Object.assign(new Error('rejected'), { responseCode: 550 });
          return { accepted: true };
        },
        { idempotent: false },
      );
    },
  };
}
