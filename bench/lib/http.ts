import http from 'node:http';

export interface HttpAnswer {
  status: number;
  body: string;
}

/**
 * A keep-alive HTTP/1.1 client on node:http, lighter than fetch so the load generator costs the
 * server's machine as little as possible. Bodies are passed already serialised.
 */
export class HttpClient {
  private readonly agent: http.Agent;

  constructor(
    private readonly base: URL,
    sockets: number,
    private readonly headers: Record<string, string> = {},
  ) {
    this.agent = new http.Agent({ keepAlive: true, maxSockets: sockets, maxFreeSockets: sockets });
  }

  async request(method: string, path: string, body?: string | Buffer, timeoutMs = 60_000): Promise<HttpAnswer> {
    try {
      return await this.send(method, path, body, timeoutMs);
    } catch (error) {
      // A kept-alive socket the server closed just as it was reused: the request never reached the
      // handler, so sending it again is safe (Node's documented pattern). Anything else fails.
      if ((error as { reusedSocket?: boolean }).reusedSocket && (error as NodeJS.ErrnoException).code === 'ECONNRESET') {
        return this.send(method, path, body, timeoutMs);
      }
      throw error;
    }
  }

  private send(method: string, path: string, body: string | Buffer | undefined, timeoutMs: number): Promise<HttpAnswer> {
    return new Promise((resolve, reject) => {
      const headers: Record<string, string | number> = { ...this.headers };
      if (body !== undefined) {
        headers['content-type'] = 'application/json';
        headers['content-length'] = Buffer.byteLength(body);
      }
      const req = http.request({ host: this.base.hostname, port: this.base.port, method, path, agent: this.agent, headers, timeout: timeoutMs }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
        res.on('error', reject);
      });
      req.on('timeout', () => req.destroy(new Error(`${method} ${path} timed out after ${timeoutMs} ms`)));
      req.on('error', (error) => reject(Object.assign(error, { reusedSocket: req.reusedSocket })));
      req.end(body);
    });
  }

  /** Sends and insists on `expected`; returns the parsed JSON body. */
  async json<T = unknown>(method: string, path: string, body?: string | Buffer, expected = 200): Promise<T> {
    const answer = await this.request(method, path, body);
    if (answer.status !== expected) throw new Error(`${method} ${path} answered ${answer.status}: ${answer.body.slice(0, 300)}`);
    return (answer.body ? JSON.parse(answer.body) : null) as T;
  }

  close(): void {
    this.agent.destroy();
  }
}
