import type { TurnContext } from 'botbuilder';
import type { CreditsBot } from './creditsBot.js';

/** The modules that build the bot; each loads botbuilder. */
export type BotModules = typeof import('./creditsBot.js') & typeof import('./conversationTracker.js');

/**
 * The bot as the app holds it from the start: its modules, and botbuilder under them, are loaded
 * and the bot built at the first turn (see LazyAdapter for why).
 */
export class LazyBot {
  private bot: Promise<CreditsBot> | undefined;

  constructor(private readonly build: (modules: BotModules) => CreditsBot) {}

  async run(context: TurnContext): Promise<void> {
    this.bot ??= Promise.all([import('./creditsBot.js'), import('./conversationTracker.js')]).then(([bot, tracker]) => this.build({ ...bot, ...tracker }));
    return (await this.bot).run(context);
  }
}
