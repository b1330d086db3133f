import pino, { DestinationStream, Logger } from 'pino';

const REDACTED = '[redacted]';

/**
 * Errors are logged by type, message, code and stack only: a driver error carries the statement's
 * parameters and a body-parser error the request body, and either would copy submitted payloads
 * (evidence, disclosures) into the logs.
 */
function safeError(error: unknown): Record<string, unknown> {
  if (!(error instanceof Error)) return { message: String(error) };
  const code = (error as { code?: unknown }).code;
  return { type: error.name, message: error.message, ...(code !== undefined ? { code } : {}), stack: error.stack };
}

/**
 * The one way PAX makes a logger: JSON lines, with bearer tokens and cookies redacted wherever
 * they appear, so that whoever reads the logs cannot act as a partner.
 */
export function createLogger(level: string, destination?: DestinationStream): Logger {
  return pino(
    {
      level,
      redact: {
        paths: ['authorization', '*.authorization', '*.headers.authorization', '*.headers.cookie', 'connectionParams', '*.connectionParams', 'token', '*.token'],
        censor: REDACTED,
      },
      serializers: { err: safeError, error: safeError },
    },
    destination,
  );
}

/** A logged HTTP request: the path without its query string, which can carry a GraphQL document and variables. */
export function requestSummary(req: { id?: unknown; method?: string; url?: string; remoteAddress?: string }): Record<string, unknown> {
  return { id: req.id, method: req.method, path: (req.url ?? '').split('?')[0], remoteAddress: req.remoteAddress };
}
