import type { Activity, TurnContext } from 'botbuilder';
import type { Request, Response, Server } from 'restify';
import type { CreditsAdapter } from './botAdapter.js';
import { isLoopback, looksLikeActivity, tokenLooksAddressedTo } from './requestGuards.js';

export interface MessagesEndpointDeps {
  /** The app's LazyAdapter, or a CreditsAdapter. */
  adapter: Pick<CreditsAdapter, 'authenticate' | 'run'>;
  /** The bot's turn logic. */
  logic: (context: TurnContext) => Promise<void>;
  /** With app credentials every request carries a token for `appId`; without, only loopback may call. */
  appId: string;
  authenticated: boolean;
  now?: () => number;
  log?: Pick<Console, 'warn' | 'error'>;
}

/**
 * `POST /api/messages`, the Bot Framework endpoint. Refusals are decided here: a non-loopback
 * caller in local mode (403), a missing, forged or foreign token (401), a body that is not an
 * activity (400). A turn that fails answers 500 without saying why; the user was told politely.
 */
export function registerMessagesEndpoint(server: Server, deps: MessagesEndpointDeps): void {
  const log = deps.log ?? console;
  const now = deps.now ?? Date.now;
  server.post('/api/messages', async (req: Request, res: Response) => {
    if (!deps.authenticated && !isLoopback(req.socket.remoteAddress)) {
      return void res.send(403, { error: 'forbidden', message: 'Without MicrosoftAppId the bot accepts only loopback callers.' });
    }
    const activity: unknown = req.body;
    if (!looksLikeActivity(activity)) {
      return void res.send(400, { error: 'bad-request', message: 'The body is not a Bot Framework activity.' });
    }
    const authorization = req.header('authorization') ?? '';
    if (deps.authenticated && !tokenLooksAddressedTo(authorization, deps.appId, now())) return void unauthorized(res);
    let auth;
    try {
      auth = await deps.adapter.authenticate(activity, authorization);
    } catch (error) {
      log.warn('Refused a Bot Framework request:', (error as Error).message);
      return void unauthorized(res);
    }
    try {
      const invokeResponse = await deps.adapter.run(auth, activity as Activity, deps.logic);
      if (invokeResponse) res.send(invokeResponse.status, invokeResponse.body);
      else res.send(200);
    } catch (error) {
      log.error('Bot Framework request failed', error);
      if (!res.headersSent) res.send(500, { error: 'internal', message: 'The bot could not handle this activity.' });
    }
  });
}

function unauthorized(res: Response): void {
  res.header('WWW-Authenticate', 'Bearer');
  res.send(401, { error: 'unauthorized', message: 'A valid Bot Framework token is required.' });
}
