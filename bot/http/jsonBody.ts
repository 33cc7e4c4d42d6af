import type { Request, Response } from 'restify';
import type { ErrorBody } from './errorAnswers.js';

/** `application/json`, with no parameter but an optional UTF-8 charset (the bytes are read as UTF-8). */
const JSON_MEDIA_TYPE = /^application\/json\s*(?:;\s*charset\s*=\s*"?utf-8"?\s*)?$/i;

const KiB = 1024;
const MiB = 1024 * KiB;

/**
 * Byte limits of the JSON routes, counted on the wire while reading.
 * - An activity: a Teams message holds at most about 28 KB and its envelope (channel data,
 *   entities, a card's submitted data) a few KB more, so 256 KiB is well above anything a channel
 *   sends; it is the one route that must read a body before its full authentication (the token is
 *   validated against the activity's channel and service URL), so it holds no more than that.
 * - A usage batch: 10,000 records of a few hundred bytes each are about 5 MiB; 16 MiB leaves room for
 *   long names, and only a caller holding the operator key gets this far.
 * - A grant: a few short fields (a note is at most 500 characters).
 * - A report request: no fields at all (`{}` or no body).
 */
export const BODY_LIMITS = {
  activity: 256 * KiB,
  usageBatch: 16 * MiB,
  grant: 16 * KiB,
  report: 1 * KiB,
} as const;

type Refusal = { status: 400 | 413 | 415 } & ErrorBody;

/**
 * The request's JSON body, read only now (after the route's own checks) and only up to `maxBytes`;
 * or null once the request has been answered with why not (415, 413, 400). Nothing is parsed as a
 * form or a file and nothing is inflated: a compressed body is refused, because no caller of this
 * bot compresses what it sends (the Bot Framework Service and operator scripts send plain JSON),
 * and refusing is the one answer that makes a decompression bomb cost nothing.
 */
export async function jsonBody(req: Request, res: Response, maxBytes: number): Promise<{ value: unknown } | null> {
  const refusal = headerRefusal(req, maxBytes);
  if (refusal) return refuse(res, refusal);
  const bytes = await readUpTo(req, maxBytes);
  // The caller went away: there is nobody to answer.
  if (bytes === 'aborted') return null;
  if (bytes === 'too-large') return refuse(res, tooLarge(maxBytes));
  try {
    return { value: JSON.parse(bytes.toString('utf8')) };
  } catch {
    return refuse(res, { status: 400, error: 'bad-request', message: 'The body is not valid JSON.' });
  }
}

function headerRefusal(req: Request, maxBytes: number): Refusal | null {
  const encoding = (req.headers['content-encoding'] ?? 'identity').trim().toLowerCase();
  if (encoding !== 'identity' && encoding !== '') {
    return { status: 415, error: 'unsupported-encoding', message: 'Send the body uncompressed (no Content-Encoding).' };
  }
  if (!JSON_MEDIA_TYPE.test(req.headers['content-type'] ?? '')) {
    return { status: 415, error: 'unsupported-media-type', message: 'Send the body as "Content-Type: application/json".' };
  }
  const declared = Number(req.headers['content-length'] ?? 0);
  return declared > maxBytes ? tooLarge(maxBytes) : null;
}

const tooLarge = (maxBytes: number): Refusal => ({ status: 413, error: 'body-too-large', message: `The body must be at most ${maxBytes} bytes.` });

/** Answers why not; the rest of an unread body is never read (see formatJson). */
function refuse(res: Response, { status, ...body }: Refusal): null {
  res.send(status, body);
  return null;
}

/** The body's bytes, or 'too-large' as soon as more than `maxBytes` arrived (reading stops there). */
function readUpTo(req: Request, maxBytes: number): Promise<Buffer | 'too-large' | 'aborted'> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const finish = (outcome: Buffer | 'too-large' | 'aborted') => {
      req.off('data', onData).off('end', onEnd).off('error', onAbort).off('close', onAbort);
      resolve(outcome);
    };
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size <= maxBytes) return void chunks.push(chunk);
      req.pause();
      finish('too-large');
    };
    const onEnd = () => finish(Buffer.concat(chunks, size));
    const onAbort = () => finish('aborted');
    req.on('data', onData).on('end', onEnd).on('error', onAbort).on('close', onAbort);
  });
}
