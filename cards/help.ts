import { button } from './action.js';
import { adaptiveCard, clip, factSet, header, note, textBlock, type AdaptiveCard, type CardElement } from './elements.js';
import { localize, type Reader } from './format.js';
import type { HelpTopic } from './helpTopics.js';
import type { WelcomeViewModel } from './viewModels.js';
import { Verb } from './verbs.js';

/**
 * What the bot can do: for each routed command (`topics`, from the bot's routing table), what to
 * write and what it does, in the reader's language.
 */
export function renderHelpCard(topics: readonly HelpTopic[], reader: Reader): AdaptiveCard {
  const { t } = localize(reader);
  const body: CardElement[] = [
    header(t.help.title, t.product),
    textBlock(t.help.intro, { spacing: 'medium' }),
    factSet(topics.flatMap((topic) => t.help.topics[topic].map(([example, what]) => ({ title: example, value: what })))),
    note(t.help.admins, { spacing: 'medium' }),
  ];
  return adaptiveCard(body, [
    button(Verb.balanceRefresh, t.actions.showBalance, 'positive'),
    button(Verb.fundsStart, t.actions.addFunds),
    button(Verb.autoRechargeOpen, t.actions.autoRecharge),
    button(Verb.historyPage, t.actions.history),
    button(Verb.usageOpen, t.actions.usage),
  ]);
}

/** Sent once when the app is installed: who the bot is and where to start. */
export function renderWelcomeCard(vm: WelcomeViewModel, reader: Reader): AdaptiveCard {
  const { t } = localize(reader);
  const body: CardElement[] = [header(t.welcome.title)];
  if (vm.userName) body.push(textBlock(t.welcome.greeting(clip(vm.userName, 40)), { weight: 'bolder', spacing: 'medium' }));
  body.push(
    textBlock(t.welcome.intro, { spacing: vm.userName ? 'small' : 'medium' }),
    textBlock(t.welcome.what, { spacing: 'small' }),
    note(t.welcome.tryHelp),
  );
  return adaptiveCard(body, [
    button(Verb.balanceRefresh, t.actions.showBalance, 'positive'),
    button(Verb.fundsStart, t.actions.addFunds),
    button(Verb.autoRechargeOpen, t.actions.autoRecharge),
    button(Verb.help, t.actions.help),
  ]);
}

export const helpSummary = (reader: Reader): string => localize(reader).t.help.title;
export const welcomeSummary = (reader: Reader): string => localize(reader).t.welcome.title;
