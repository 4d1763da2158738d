import { ConnectorError } from '../../../connectors/common/connector-error.js';
import { Resilience } from '../../../connectors/common/resilient-call.js';
import type { OutboundChannel } from '../../../connectors/messaging/patient-messenger.js';
import type { SendChannel } from '../../../connectors/messaging/recipient.js';
import { createHttpSmsProvider, createSinkSmsProvider, createUnconfiguredSmsProvider } from '../../../connectors/messaging/sms-channel.js';
import { createSmtpChannel } from '../../../connectors/messaging/smtp-channel.js';
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
      ? createSmtpChannel({ url: config.smtpUrl, from: config.from, timeoutMs: config.timeoutMs })
      : { resilience: new Resilience({ connector: 'smtp', timeoutMs: 1_000 }), send: () => Promise.reject(new ConnectorError('smtp', 'UNAVAILABLE', null, 'smtp: no SMTP server is configured (SMTP_URL)')) };
  const sms = config.smsProviderUrl
    ? createHttpSmsProvider({ url: config.smsProviderUrl, timeoutMs: config.timeoutMs })
    : embedded
      ? createSinkSmsProvider()
      : createUnconfiguredSmsProvider();
  return {
    channels: {
      email: { medium: 'email', send: (m) => email.send(m) },
      sms: { medium: 'sms', send: (m) => sms.send({ to: m.to, text: m.text, messageId: m.messageId }) },
    },
    resilience: { smtp: email.resilience, sms: sms.resilience },
  };
}
