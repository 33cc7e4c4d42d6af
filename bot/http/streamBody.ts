import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { Request, Response } from 'restify';
import type { Log } from '../log.js';

/**
 * Sends `chunks` as the body of a response whose head is set, no faster than the client reads
 * (the next chunk is asked for only once the socket has drained), and stops asking once the client
 * has gone. A failure after the head is out can no longer be answered: the response is cut, so the
 * client sees a broken transfer rather than a short file, and the failure is logged.
 */
export async function streamBody(req: Request, res: Response, chunks: AsyncIterable<string>, log: Log): Promise<void> {
  try {
    // One chunk read ahead at most: a paused client holds a chunk, not the whole body.
    await pipeline(Readable.from(chunks, { highWaterMark: 1 }), res);
  } catch (error) {
    const where = { reference: req.getId(), method: req.method, path: req.path() };
    if ((error as NodeJS.ErrnoException).code === 'ERR_STREAM_PREMATURE_CLOSE') log.info(where, 'the client left before the download ended');
    else log.error({ ...where, err: error }, 'a streamed response failed after its head was sent');
    res.destroy();
  }
}
