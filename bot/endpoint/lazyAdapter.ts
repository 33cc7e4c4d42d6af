import type { Activity, ConversationReference, InvokeResponse, TurnContext } from 'botbuilder';
import type { AuthenticateRequestResult } from 'botframework-connector';
import type { Config } from '../config.js';
import type { Log } from '../log.js';
import type { CreditsAdapter } from './botAdapter.js';

/**
 * The adapter as the app holds it from the start. botbuilder, with @azure/identity and MSAL behind
 * it, takes about 0.4 s and 35 MB to load: the real adapter (`createAdapter`) is loaded at the first
 * Bot Framework request or proactive send, so a start, and a bot nobody has written to yet, do not
 * pay for it.
 */
export class LazyAdapter implements Pick<CreditsAdapter, 'authenticate' | 'run'> {
  private adapter: Promise<CreditsAdapter> | undefined;

  constructor(
    private readonly config: Config,
    private readonly log: Log,
  ) {}

  /** The real adapter, loaded at the first call. */
  load(): Promise<CreditsAdapter> {
    return (this.adapter ??= import('./botAdapter.js').then(({ createAdapter }) => createAdapter(this.config, this.log)));
  }

  async authenticate(activity: Partial<Activity>, authHeader: string): Promise<AuthenticateRequestResult> {
    return (await this.load()).authenticate(activity, authHeader);
  }

  async run(auth: AuthenticateRequestResult, activity: Activity, logic: (context: TurnContext) => Promise<void>): Promise<InvokeResponse | undefined> {
    return (await this.load()).run(auth, activity, logic);
  }

  async continueConversationAsync(appId: string, reference: Partial<ConversationReference>, logic: (context: TurnContext) => Promise<void>): Promise<void> {
    return (await this.load()).continueConversationAsync(appId, reference, logic);
  }
}
