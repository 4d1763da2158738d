import { expect } from 'vitest';
import { UPDATE_SETTING, ok, type ChangeResult } from '../api/governance-operations.js';
import { startHarness, type Harness, type HarnessOptions } from './harness.js';
import { startMessagePeers, type MessagePeers } from './message-peers.js';

// A gateway in STAGING wired to a real SMTP server and SMS provider on loopback, with these message templates
// applied through the governed path (by an ops manager), as the messaging tests start from.

export interface MessagingHarness {
  readonly h: Harness;
  readonly peers: MessagePeers;
  stop(): Promise<void>;
}

export async function startMessagingHarness(
  templates: Record<string, unknown>,
  options: Pick<HarnessOptions, 'now' | 'escalationNotifiers'> = {},
): Promise<MessagingHarness> {
  const peers = await startMessagePeers();
  const h = await startHarness({
    ...options,
    env: {
      GATEWAY_ENVIRONMENT: 'STAGING',
      SMTP_URL: peers.smtpUrl,
      SMS_PROVIDER_URL: peers.smsUrl,
      SMTP_FROM: 'Acme Clinic <clinic@acme.example>',
    },
  });
  const ops = await h.token({ sub: 'ops-olga', roles: ['ops-manager'] });
  const set = ok<{ updateSetting: ChangeResult }>(
    await h.gql(ops, UPDATE_SETTING, {
      input: { key: 'messaging.templates', environment: 'STAGING', value: templates, reason: 'message templates' },
    }),
  );
  expect(set.updateSetting.status).toBe('APPLIED');
  return {
    h,
    peers,
    async stop() {
      await h.stop();
      await peers.close();
    },
  };
}
