import { ConnectorError } from '../common/connector-error.js';
import { HttpStatusError } from '../common/http-failure.js';
import { Resilience } from '../common/resilient-call.js';

// SMS through a provider, behind the shared circuit and deadline. The gateway talks to one interface; the HTTP
// implementation POSTs `{ to, body, messageId }` as JSON to SMS_PROVIDER_URL (an adapter in front of Twilio, Vonage
// or a carrier gateway). Like email, a send is not idempotent (a second attempt can deliver twice), so it is never
// retried; 4xx is REJECTED (a bad number), 5xx and network failures UNAVAILABLE; the provider's body never passes.

export interface SmsMessage {
  readonly to: string;
  readonly text: string;
  /** Fixed per message: a provider that deduplicates can tell a duplicate. */
  readonly messageId: string;
}

interface SmsProvider {
  send(message: SmsMessage): Promise<{ readonly accepted: boolean }>;
  readonly resilience: Resilience;
}

/** A provider behind an HTTP adapter: POSTs `{ to, body, messageId }` as JSON to SMS_PROVIDER_URL. */
export class HttpSmsProvider implements SmsProvider {
  readonly resilience: Resilience;

  constructor(private readonly options: { url: string; timeoutMs: number }) {
    const circuit = { failureThreshold: 5, coolDownMs: 30_000 };
    this.resilience = new Resilience({ connector: 'sms', timeoutMs: options.timeoutMs, circuit });
  }

  send(message: SmsMessage): Promise<{ readonly accepted: boolean }> {
    return this.resilience.call(
      'send',
      async (signal) => {
        const res = await fetch(this.options.url, {
          method: 'POST',
          signal,
          headers: { 'content-type': 'application/json', 'idempotency-key': message.messageId },
          body: JSON.stringify({ to: message.to, body: message.text, messageId: message.messageId }),
        });
        await res.arrayBuffer(); // drain: the body is never read for content
        if (res.status >= 300) throw new HttpStatusError({ status: res.status });
        return { accepted: true };
      },
      { idempotent: false },
    );
  }
}

/**
 * Embedded mode without SMS_PROVIDER_URL: accepts every message and delivers it nowhere (like nodemailer's
 * jsonTransport for email), so the demo runs with no external service. The Communication still records it.
 */
export class SinkSmsProvider implements SmsProvider {
  readonly resilience = new Resilience({ connector: 'sms', timeoutMs: 1_000 });

  send(): Promise<{ readonly accepted: boolean }> {
    return this.resilience.call('send', async () => ({ accepted: true }), { idempotent: false });
  }
}

/** Production without a provider configured: every send fails as UNAVAILABLE (recorded, never silently dropped). */
export class UnconfiguredSmsProvider implements SmsProvider {
  readonly resilience = new Resilience({ connector: 'sms', timeoutMs: 1_000 });

  send(): Promise<{ readonly accepted: boolean }> {
    return Promise.reject(new ConnectorError('sms', 'UNAVAILABLE', null, 'sms: no SMS provider is configured (SMS_PROVIDER_URL)'));
  }
}
