import type { Resilience } from '../../../connectors/common/resilient-call.js';
import type { OutboundChannel } from '../../../connectors/messaging/patient-messenger.js';
import type { SendChannel } from '../../../connectors/messaging/recipient.js';
import { HttpSmsProvider, SinkSmsProvider, UnconfiguredSmsProvider } from '../../../connectors/messaging/sms-channel.js';
import { SmtpChannel, UnconfiguredSmtpChannel } from '../../../connectors/messaging/smtp-channel.js';
import type { GatewayMode } from '../../config/config.js';
import type { MessagingConfig } from '../../config/connector-config.js';

// The outbound channels from config. Embedded mode starts no external server: without SMTP_URL email goes to
// nodemailer's jsonTransport and without SMS_PROVIDER_URL SMS to a sink, both delivering nowhere (the Communication
// still records the message). Production never pretends: an unconfigured channel fails every send as UNAVAILABLE,
// recorded as a not-done Communication.

export interface MessagingChannels {
  readonly channels: Readonly<Record<SendChannel, OutboundChannel>>;
  /** Circuit and health of each channel, for `connectorHealth`. */
  readonly resilience: Readonly<Record<'smtp' | 'sms', Resilience>>;
}

export function createMessagingChannels(mode: GatewayMode, config: MessagingConfig): MessagingChannels {
  const embedded = mode === 'embedded';
  const email =
    config.smtpUrl || embedded
      ? new SmtpChannel({ url: config.smtpUrl, from: config.from, timeoutMs: config.timeoutMs })
      : new UnconfiguredSmtpChannel();
  const sms = config.smsProviderUrl
    ? new HttpSmsProvider({ url: config.smsProviderUrl, timeoutMs: config.timeoutMs })
    : embedded
      ? new SinkSmsProvider()
      : new UnconfiguredSmsProvider();
  return {
    channels: {
      email: { medium: 'email', send: (m) => email.send(m) },
      sms: { medium: 'sms', send: (m) => sms.send({ to: m.to, text: m.text, messageId: m.messageId }) },
    },
    resilience: { smtp: email.resilience, sms: sms.resilience },
  };
}
