import { envField } from './env-field.js';
import { integer, oneOf, text, url } from './env-parsers.js';

// Configuration of the acting connectors: which environment's governed settings (write-back enabled, the
// connector's scopes and base URL) this gateway obeys, and where patient messages go out (SMTP for email, an HTTP
// SMS provider). Parsed by config.ts with every other variable. What a connector may do stays governed (settings);
// only where its deployment-level peers live is configured here.

export const CONNECTOR_ENV = {
  GATEWAY_ENVIRONMENT: envField(oneOf(['STAGING', 'PRODUCTION'] as const)),
  SMTP_URL: envField(url(['smtp:', 'smtps:'])),
  SMTP_FROM: envField(text),
  SMS_PROVIDER_URL: envField(url(['https:', 'http:'])),
  MESSAGING_TIMEOUT_MS: envField(integer(1, 120_000)),
  PUBLIC_URL: envField(url(['https:', 'http:'])),
};

export interface MessagingConfig {
  /** null: embedded mode delivers email nowhere (nodemailer jsonTransport); production refuses to send. */
  readonly smtpUrl: string | null;
  readonly from: string;
  /** null: embedded mode accepts SMS and delivers nowhere; production refuses to send. */
  readonly smsProviderUrl: string | null;
  readonly timeoutMs: number;
  /** The gateway's address as people reach it (links to the console in approver emails); null: its own listen URL. */
  readonly publicUrl: string | null;
}

export interface ConnectorConfig {
  /** The environment this gateway serves (default PRODUCTION: the stricter approval rules govern it). */
  readonly environment: 'STAGING' | 'PRODUCTION';
  readonly messaging: MessagingConfig;
}

interface ConnectorEnv {
  GATEWAY_ENVIRONMENT?: 'STAGING' | 'PRODUCTION' | undefined;
  SMTP_URL?: string | undefined;
  SMTP_FROM?: string | undefined;
  SMS_PROVIDER_URL?: string | undefined;
  MESSAGING_TIMEOUT_MS?: number | undefined;
  PUBLIC_URL?: string | undefined;
}

export function connectorConfig(e: ConnectorEnv): ConnectorConfig {
  return {
    environment: e.GATEWAY_ENVIRONMENT ?? 'PRODUCTION',
    messaging: {
      smtpUrl: e.SMTP_URL ?? null,
      from: e.SMTP_FROM ?? 'Clearance <no-reply@clearance.local>',
      smsProviderUrl: e.SMS_PROVIDER_URL ?? null,
      timeoutMs: e.MESSAGING_TIMEOUT_MS ?? 10_000,
      publicUrl: e.PUBLIC_URL?.replace(/\/+$/, '') ?? null,
    },
  };
}
