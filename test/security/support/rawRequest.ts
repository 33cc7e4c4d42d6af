import http from 'node:http';

export interface RawResponse {
  status: number;
  headers: http.IncomingHttpHeaders;
  text: string;
  /** The body parsed as JSON, or null when it is not JSON. */
  json: any;
}

/**
 * One HTTP request exactly as given (no content type or encoding added, the body sent as these
 * bytes), for inputs `fetch` would not send or would fix up.
 */
export function rawRequest(
  base: string,
  method: string,
  route: string,
  headers: Record<string, string | number> = {},
  body?: Buffer | string,
): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const request = http.request(`${base}${route}`, { method, headers, agent: false }, (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('end', () => resolve(parsed(response, Buffer.concat(chunks).toString('utf8'))));
      response.on('error', reject);
    });
    request.on('error', reject);
    request.end(body);
  });
}

/**
 * Sends a body of up to `totalBytes` in chunks without a Content-Length (chunked), or with the
 * `content-length` the caller put in `headers`, stopping as soon as the server answers. Resolves
 * with the answer and how many bytes had been written by then. With `totalBytes` 0 only the head
 * is sent, and the request stays open until the server answers.
 */
export function streamUntilAnswered(
  base: string,
  route: string,
  headers: Record<string, string | number>,
  totalBytes: number,
  chunk = Buffer.alloc(64 * 1024, 0x20),
): Promise<RawResponse & { bytesWritten: number }> {
  return new Promise((resolve, reject) => {
    let bytesWritten = 0;
    let answered = false;
    const request = http.request(`${base}${route}`, { method: 'POST', headers, agent: false }, (response) => {
      answered = true;
      const written = bytesWritten;
      const chunks: Buffer[] = [];
      response.on('data', (c: Buffer) => chunks.push(c));
      response.on('end', () => resolve({ ...parsed(response, Buffer.concat(chunks).toString('utf8')), bytesWritten: written }));
    });
    // Once the server has answered and closed, writes fail: that is the point.
    request.on('error', (error) => {
      if (!answered) reject(error);
    });
    if (totalBytes === 0) return void request.flushHeaders();
    // Paced (a chunk per millisecond at most), so an early answer arrives while there is more to send.
    void (async () => {
      while (!answered && bytesWritten < totalBytes) {
        bytesWritten += chunk.length;
        await new Promise<void>((written) => request.write(chunk, () => written()));
        await new Promise((tick) => setTimeout(tick, 1));
      }
      if (!answered) request.end();
    })().catch(reject);
  });
}

function parsed(response: http.IncomingMessage, text: string): RawResponse {
  let json: any = null;
  try {
    json = JSON.parse(text);
  } catch {
    // not JSON
  }
  return { status: response.statusCode ?? 0, headers: response.headers, text, json };
}
