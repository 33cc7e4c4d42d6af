import { helpSummary, renderHelpCard, renderWelcomeCard, welcomeSummary, type HelpTopic } from '../../cards/index.js';
import { cardReply, type Reply, type Turn } from './handlerDeps.js';

/** "help", "帮助": what the bot understands (the routed commands' `topics`). Shows no account data, so anyone may ask. */
export async function showHelp(turn: Turn, topics: readonly HelpTopic[]): Promise<Reply> {
  return cardReply(renderHelpCard(topics, turn), helpSummary(turn));
}

/** The welcome card: on install, and for a greeting. */
export async function showWelcome(turn: Turn): Promise<Reply> {
  return cardReply(renderWelcomeCard(turn.user.name ? { userName: turn.user.name } : {}, turn), welcomeSummary(turn));
}
