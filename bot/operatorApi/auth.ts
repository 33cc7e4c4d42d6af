import { createHash, timingSafeEqual } from 'node:crypto';
import type { Request, Response } from 'restify';
import type { ErrorBody } from '../http/errorAnswers.js';

const digest = (value: string) => createHash('sha256').update(value).digest();

/**
 * Bearer-key check for operator endpoints: 503 while no key is configured (the API is off),
 * 401 for a missing or wrong key. The configured key's digest is made once; comparing digests
 * keeps the comparison constant-time whatever the lengths.
 */
export function operatorAuthorizer(apiKey: string | null): (req: Request, res: Response) => boolean {
  const expected = apiKey ? digest(apiKey) : null;
  return (req, res) => authorize(expected, req, res);
}

function authorize(expected: Buffer | null, req: Request, res: Response): boolean {
  if (!expected) {
    res.send(503, { error: 'operator-api-disabled', message: 'Set OPERATOR_API_KEY to enable the operator API.' } satisfies ErrorBody);
    return false;
  }
  const header = req.header('authorization') ?? '';
  const match = /^Bearer\s+(.+)$/i.exec(header.trim());
  if (!match || !timingSafeEqual(digest(match[1]!), expected)) {
    res.header('WWW-Authenticate', 'Bearer');
    res.send(401, { error: 'unauthorized', message: 'A valid "Authorization: Bearer <OPERATOR_API_KEY>" header is required.' } satisfies ErrorBody);
    return false;
  }
  return true;
}
