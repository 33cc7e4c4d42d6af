import { describe, expect, it } from 'vitest';
import { HELP_TOPIC_NAMES, MANAGING_VERBS, renderHelpCard, strings, VERBS } from '../../cards/index.js';
import { recognizeCommand } from '../../bot/commands/recognizeCommand.js';
import { VERB_ROUTES } from '../../bot/routes/verbRoutes.js';
import { COMMAND_ROUTES, HELP_TOPICS } from '../../bot/routes/commandRoutes.js';
import { cardText } from '../cards/validateCard.js';

describe('routing tables', () => {
  it('routes every verb, and asks "manage" exactly for the verbs the cards mark as managing', () => {
    expect(Object.keys(VERB_ROUTES).sort()).toEqual([...VERBS].sort());
    for (const verb of VERBS) expect(VERB_ROUTES[verb].permission === 'manage', verb).toBe(MANAGING_VERBS.has(verb));
  });

  it('shows data only to viewers and moves money only for managers', () => {
    expect(COMMAND_ROUTES.balance.permission).toBe('view');
    expect(COMMAND_ROUTES.history.permission).toBe('view');
    expect(COMMAND_ROUTES.usage.permission).toBe('view');
    for (const name of ['addFunds', 'autoRecharge', 'lowBalanceAlert', 'paymentMethod', 'alertsHere'] as const)
      expect(COMMAND_ROUTES[name].permission).toBe('manage');
    for (const name of ['help', 'greeting', 'unknown', 'tooLong'] as const) expect(COMMAND_ROUTES[name].permission).toBeNull();
  });

  it('generates help from the command routes: every command one can ask for, once', () => {
    const explained = Object.entries(COMMAND_ROUTES).filter(([, route]) => route.help !== null);
    expect(
      Object.entries(COMMAND_ROUTES)
        .filter(([, route]) => route.help === null)
        .map(([name]) => name)
        .sort(),
    ).toEqual(['greeting', 'tooLong', 'unknown']);
    expect([...HELP_TOPICS].sort()).toEqual([...HELP_TOPIC_NAMES].sort());
    expect(new Set(HELP_TOPICS).size).toBe(explained.length);
  });

  it.each(['en-US', 'zh-CN'])('in %s, every example the help card gives runs the command it explains, and the card shows them all', (locale) => {
    const t = strings(locale);
    const card = cardText(renderHelpCard(HELP_TOPICS, locale));
    for (const [name, route] of Object.entries(COMMAND_ROUTES)) {
      if (!route.help) continue;
      const examples = t.help.topics[route.help];
      expect(examples.length, `${locale} ${name}`).toBeGreaterThan(0);
      for (const [example, what] of examples) {
        expect(recognizeCommand(example).name, `${locale}: "${example}"`).toBe(name);
        expect(card).toContain(`${example}\n${what}`);
      }
    }
  });

  it('explains the low-balance alert command and the auto-recharge rule in both languages', () => {
    for (const locale of ['en-US', 'zh-CN']) {
      const t = strings(locale);
      expect(t.help.topics.lowBalanceAlert.map(([example]) => recognizeCommand(example))).toEqual([
        expect.objectContaining({ name: 'lowBalanceAlert', threshold: expect.objectContaining({ kind: 'amount' }) }),
      ]);
      const rule = t.help.topics.autoRecharge
        .map(([example]) => recognizeCommand(example))
        .find((c) => c.name === 'autoRecharge' && c.change.kind === 'change' && c.change.trigger && c.change.amount);
      expect(rule, locale).toBeDefined();
    }
  });
});
