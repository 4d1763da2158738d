import { pino } from 'pino';

// Structured logs. Never log variables, tokens, response bodies or FHIR payloads: ids, codes and timings only.
export type Logger = pino.Logger;

export function createLogger(level: string, destination?: pino.DestinationStream): Logger {
  return pino(
    {
      level,
      base: { service: 'clearance' },
      redact: { paths: ['req.headers.authorization', '*.token', '*.secret'], censor: '[redacted]' },
    },
    destination,
  );
}
