import type { Context, Middleware } from '@microsoft/microsoft-graph-client';
import type { RenewableTokenProvider } from './renewableTokenProvider.js';

/**
 * Sits above the SDK's AuthenticationHandler: when Graph answers 401 to a token, signs in again
 * and sends the request once more. A second 401 stands (the tenant does not accept the app).
 */
export class RenewTokenOnUnauthorized implements Middleware {
  private next: Middleware | undefined;

  constructor(private readonly tokens: RenewableTokenProvider) {}

  async execute(context: Context): Promise<void> {
    await this.nextMiddleware().execute(context);
    if (context.response?.status !== 401) return;
    await context.response.body?.cancel();
    this.tokens.renew();
    // The SDK's handler appends its header: drop the refused token before it adds the new one.
    forgetAuthorization(context);
    await this.nextMiddleware().execute(context);
  }

  setNext(next: Middleware): void {
    this.next = next;
  }

  private nextMiddleware(): Middleware {
    if (!this.next) throw new Error('RenewTokenOnUnauthorized needs a next middleware');
    return this.next;
  }
}

function forgetAuthorization(context: Context): void {
  const headers = context.options?.headers;
  if (!headers) return;
  if (headers instanceof Headers) headers.delete('Authorization');
  else if (Array.isArray(headers)) context.options!.headers = headers.filter(([name]) => name.toLowerCase() !== 'authorization');
  else for (const name of Object.keys(headers)) if (name.toLowerCase() === 'authorization') delete (headers as Record<string, string>)[name];
}
