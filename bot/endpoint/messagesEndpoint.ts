import type { TurnContext } from 'botbuilder';
import type { Request, Response, Server } from 'restify';
import { BODY_LIMITS, jsonBody } from '../http/jsonBody.js';
import { requestLog } from '../http/requestTracking.js';
import type { Log } from '../log.js';
import type { CreditsAdapter } from './botAdapter.js';
import { beginTurn } from './turn.js';
import { isForwarded, isLoopback, looksLikeActivity, tokenLooksAddressedTo } from './requestGuards.js';

export interface MessagesEndpointDeps {
  /** The app's LazyAdapter, or a CreditsAdapter. */
  adapter: Pick<CreditsAdapter, 'authenticate' | 'run'>;
  /** The bot's turn logic. */
  logic: (context: TurnContext) => Promise<void>;
  /** With app credentials every request carries a token for `appId`; without, only loopback may call. */
  appId: string;
  authenticated: boolean;
  now?: () => number;
  log: Log;
}

/**
 * `POST /api/messages`, the Bot Framework endpoint. Refusals are decided here, the cheap ones before
 * the body is read: a non-loopback or forwarded caller in local mode (403), a missing or foreign
 * token (401); then a body that is not a small JSON activity (415, 413, 400) and a token whose
 * signature does not hold (401). A turn that throws is answered politely by the adapter's
 * onTurnError; a failure around it is the server's 500 (503 while the store cannot write).
 */
export function registerMessagesEndpoint(server: Server, deps: MessagesEndpointDeps): void {
  const now = deps.now ?? Date.now;
  server.post('/api/messages', async (req: Request, res: Response) => {
    if (!deps.authenticated && (!isLoopback(req.socket.remoteAddress) || isForwarded(req.headers))) {
      return void res.send(403, { error: 'forbidden', message: 'Without MicrosoftAppId the bot accepts only loopback callers, not proxied ones.' });
    }
    const authorization = req.header('authorization') ?? '';
    if (deps.authenticated && !tokenLooksAddressedTo(authorization, deps.appId, now())) return void unauthorized(res);
    const body = await jsonBody(req, res, BODY_LIMITS.activity);
    if (!body) return;
    const activity = body.value;
    if (!looksLikeActivity(activity)) {
      return void res.send(400, { error: 'bad-request', message: 'The body is not a Bot Framework activity.' });
    }
    let auth: Awaited<ReturnType<typeof deps.adapter.authenticate>>;
    try {
      auth = await deps.adapter.authenticate(activity, authorization);
    } catch (error) {
      requestLog(req, deps.log).warn({ reason: (error as Error).message }, 'refused a Bot Framework request');
      return void unauthorized(res);
    }
    // The turn's id is the request's reference: its log lines and any error shown to the user carry it.
    const log = requestLog(req, deps.log);
    const invokeResponse = await deps.adapter.run(auth, activity, (context) => {
      beginTurn(context, req.getId(), log);
      return deps.logic(context);
    });
    if (invokeResponse) res.send(invokeResponse.status, invokeResponse.body);
    else res.send(200);
  });
}

function unauthorized(res: Response): void {
  res.header('WWW-Authenticate', 'Bearer');
  res.send(401, { error: 'unauthorized', message: 'A valid Bot Framework token is required.' });
}
