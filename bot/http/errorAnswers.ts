import type { Request, Response, Server } from 'restify';
import { z } from 'zod';
import { StoreUnavailableError } from '../../services/ports.js';
import type { Log } from '../log.js';
import { requestLog } from './requestTracking.js';

/**
 * What every error answer looks like: a stable code and the request's reference (also its
 * `x-request-id` header), never an error's text, a stack or a path; the details go to the log
 * under the same reference.
 */

/** An error answer's body as a route gives it. */
export const ErrorBody = z.strictObject({
  error: z.string().describe('A stable code, such as "not-found".'),
  message: z.string().optional().describe('Why, in words.'),
});
export type ErrorBody = z.infer<typeof ErrorBody>;

/** A body as the client receives it with a status of 400 or more: `formatJson` adds the request's reference. */
export const withReference = <Body extends z.ZodObject>(body: Body) =>
  body.extend({ reference: z.string().describe("The request's reference, also its `x-request-id` header; the log has the details under it.") });

const CODE_BY_STATUS: Record<number, string> = {
  400: 'bad-request',
  401: 'unauthorized',
  403: 'forbidden',
  404: 'not-found',
  405: 'method-not-allowed',
  406: 'not-acceptable',
  413: 'body-too-large',
  415: 'unsupported-media-type',
};

const codeFor = (status: number) => CODE_BY_STATUS[status] ?? (status >= 500 ? 'internal' : 'bad-request');

/** The status an error from restify carries (a 404 for an unknown route…); 500 for anything else. */
function statusOf(error: unknown): number {
  const status = (error as { statusCode?: unknown } | null)?.statusCode;
  return error instanceof Error && typeof status === 'number' ? status : 500;
}

const isPlainObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value) && !Buffer.isBuffer(value);

/**
 * The JSON formatter of every answer. Error objects that reach it (restify's own 404, 405 and
 * "no response written" answers) become a code; every object answered with a status of 400 or more
 * gets the request's reference. A refusal given before the request's body arrived closes the
 * connection, so the rest of the body is never read (Node would otherwise read it to the end to
 * keep the connection open).
 */
export function formatJson(req: Request, res: Response, body: unknown): string {
  const status = res.statusCode;
  if (status >= 400 && !req.complete) res.setHeader('Connection', 'close');
  const shown = body instanceof Error ? ({ error: codeFor(status) } satisfies ErrorBody) : body;
  const data = JSON.stringify(status >= 400 && isPlainObject(shown) ? { ...shown, reference: req.getId() } : shown);
  res.setHeader('Content-Length', Buffer.byteLength(data));
  return data;
}

/**
 * Takes over from restify's answer to a handler that threw or rejected (which would send the
 * error's message): the store being unable to write is `503 store-unavailable`, anything else
 * `500 internal`, logged with the reference. A response already under way cannot change its status
 * any more; it is cut so the client sees a broken transfer, not a complete one.
 */
export function answerFailuresSafely(server: Server, log: Log): void {
  server.on('restifyError', (req: Request, res: Response, error: unknown, done: () => void) => {
    // restify's own refusals (unknown route, wrong method, bad query): formatJson hides their text.
    if (statusOf(error) < 500) return done();
    const where = { method: req.method, path: req.path() };
    const requestLogged = requestLog(req, log.child({ reference: req.getId() }));
    if (error instanceof StoreUnavailableError) requestLogged.warn({ ...where, reason: error.reason }, 'refused a request: the ledger store is unavailable');
    else requestLogged.error({ ...where, err: error }, 'request failed');
    if (res.headersSent) {
      res.destroy();
      // Tells restify an answer was given, so it does not try to send its own after the head.
      (res as Response & { _sent: boolean })._sent = true;
    } else if (error instanceof StoreUnavailableError) {
      res.send(503, { error: 'store-unavailable' } satisfies ErrorBody);
    } else {
      res.send(500, { error: 'internal' } satisfies ErrorBody);
    }
    done();
  });
}
