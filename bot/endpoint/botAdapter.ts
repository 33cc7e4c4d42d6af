import { ActivityTypes, CloudAdapter, ConfigurationBotFrameworkAuthentication, type Activity, type InvokeResponse, type TurnContext } from 'botbuilder';
import type { AuthenticateRequestResult } from 'botframework-connector';
import { strings } from '../../cards/index.js';
import type { Config } from '../config.js';
import type { Log } from '../log.js';
import { turnOf } from './turn.js';

/** The Bot Framework settings the adapter and proactive sends share (the same app id everywhere). */
export function botFrameworkAuthentication(config: Config): ConfigurationBotFrameworkAuthentication {
  const { appId, appPassword, appType, appTenantId, authenticated } = config.bot;
  // Without an app id the library runs unauthenticated (Emulator, Playground); with one, every token is checked.
  if (!authenticated) return new ConfigurationBotFrameworkAuthentication({});
  return new ConfigurationBotFrameworkAuthentication({
    MicrosoftAppId: appId,
    MicrosoftAppPassword: appPassword,
    MicrosoftAppType: appType,
    MicrosoftAppTenantId: appTenantId,
  });
}

/**
 * The CloudAdapter, opened up so the endpoint can authenticate a request itself (and answer 401 for
 * any failure, even one the library would turn into a 500) and still get the invoke response.
 */
export class CreditsAdapter extends CloudAdapter {
  constructor(readonly auth: ConfigurationBotFrameworkAuthentication) {
    super(auth);
  }

  authenticate(activity: Partial<Activity>, authHeader: string): Promise<AuthenticateRequestResult> {
    return this.auth.authenticateRequest(activity as Activity, authHeader);
  }

  run(auth: AuthenticateRequestResult, activity: Activity, logic: (context: TurnContext) => Promise<void>): Promise<InvokeResponse | undefined> {
    return this.processActivity(auth, activity, logic);
  }
}

/**
 * A turn that throws is logged and answered politely in the user's language, never with the error:
 * a message gets a line, an invoke gets that line as its response. Whatever the activity holds (a
 * locale that is not a string, no conversation to answer in) and whether or not the answer can be
 * sent, this handler never throws: the error it was given has nowhere else to go.
 */
export function createAdapter(config: Config, log: Log): CreditsAdapter {
  const adapter = new CreditsAdapter(botFrameworkAuthentication(config));
  adapter.onTurnError = async (context, error) => {
    const activity: Partial<Activity> = context?.activity ?? {};
    const turn = turnOf(context, log);
    quietly(() => turn.log.error({ activityId: activity.id, type: activity.type, err: error }, 'Bot turn failed'));
    // A proactive turn has nobody waiting for an answer.
    if (activity.type === ActivityTypes.Event) return;
    try {
      const { errors } = strings(typeof activity.locale === 'string' ? activity.locale : null);
      // The reference lets support find this turn's log lines.
      const text = `${errors.internal} ${errors.reference(turn.id)}`;
      if (activity.type === ActivityTypes.Invoke) {
        await context.sendActivity({
          type: ActivityTypes.InvokeResponse,
          value: { status: 200, body: { statusCode: 200, type: 'application/vnd.microsoft.activity.message', value: text } },
        });
      } else {
        await context.sendActivity(text);
      }
    } catch (sendError) {
      quietly(() => turn.log.error({ err: sendError }, 'Could not tell the user about the failed turn'));
    }
  };
  return adapter;
}

/** Logging must not be what turns a failure already handled into one that is not. */
function quietly(write: () => void): void {
  try {
    write();
  } catch {
    // Nowhere left to report it.
  }
}
