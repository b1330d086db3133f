import type { ErrorRequestHandler, RequestHandler } from 'express';
import type { Logger } from 'pino';

/** What body-parser's refusals mean to a client; the body itself is never echoed or logged. */
const BODY_ERRORS: Record<string, string> = {
  'entity.parse.failed': 'the request body is not valid JSON',
  'entity.too.large': 'the request body is larger than the limit',
  'encoding.unsupported': 'the request body has an unsupported content encoding',
  'charset.unsupported': 'the request body has an unsupported charset; send UTF-8',
  'request.aborted': 'the request body was cut off',
  'request.size.invalid': 'the request body is not as long as its Content-Length says',
};

const answer = (message: string, code: string, extensions: Record<string, unknown> = {}) => ({ errors: [{ message, extensions: { code, ...extensions } }] });

/**
 * Express's own error page is HTML with a stack trace and absolute paths. Every error that reaches
 * Express answers JSON with a code instead, in every mode, and is logged as one line without the body.
 */
export function jsonErrorHandler(log: Logger): ErrorRequestHandler {
  return (error, req, res, _next) => {
    const requestId = String(req.id ?? '');
    const status = Number(error?.status ?? error?.statusCode);
    if (status >= 400 && status < 500) {
      const message = BODY_ERRORS[error.type] ?? 'the request could not be read';
      log.warn({ requestId, status, reason: error.type ?? error.name }, 'refused an unreadable HTTP request');
      res.status(status).json(answer(message, 'BAD_REQUEST'));
      return;
    }
    log.error({ requestId, err: error }, 'unexpected HTTP error');
    res.status(500).json(answer('Internal server error', 'INTERNAL_SERVER_ERROR', { requestId }));
  };
}

/** Unknown paths answer JSON too. */
export const jsonNotFound: RequestHandler = (req, res) => {
  res.status(404).json(answer(`no such endpoint: ${req.method} ${req.path}`, 'NOT_FOUND'));
};
