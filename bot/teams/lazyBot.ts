import type { TurnContext } from 'botbuilder';
import type { CreditsBot } from './creditsBot.js';

/** The modules that build the bot; each loads botbuilder. */
export type BotModules = typeof import('./creditsBot.js') & typeof import('./conversationTracker.js');

/**
 * The bot as the app holds it from the start: its modules, and botbuilder under them, are loaded,
 * the amount recognizers' models built (`prepareAmountReading`, ~0.5 s of CPU and ~55 MB) and the
 * bot built at the first activity, often the install, so that a person's first message does not
 * wait for them (see LazyAdapter for why not at start).
 */
export class LazyBot {
  private bot: Promise<CreditsBot> | undefined;

  constructor(private readonly build: (modules: BotModules) => CreditsBot) {}

  async run(context: TurnContext): Promise<void> {
    this.bot ??= Promise.all([import('./creditsBot.js'), import('./conversationTracker.js'), import('../commands/readAmounts.js')]).then(
      ([bot, tracker, amounts]) => {
        amounts.prepareAmountReading();
        return this.build({ ...bot, ...tracker });
      },
    );
    return (await this.bot).run(context);
  }
}
