import { describe, expect, it } from 'vitest';
import { MANAGING_VERBS, VERBS } from '../../cards/index.js';
import { VERB_ROUTES } from '../../bot/routes/verbRoutes.js';
import { COMMAND_ROUTES } from '../../bot/routes/commandRoutes.js';

describe('routing tables', () => {
  it('routes every verb, and asks "manage" exactly for the verbs the cards mark as managing', () => {
    expect(Object.keys(VERB_ROUTES).sort()).toEqual([...VERBS].sort());
    for (const verb of VERBS) expect(VERB_ROUTES[verb].permission === 'manage', verb).toBe(MANAGING_VERBS.has(verb));
  });

  it('shows data only to viewers and moves money only for managers', () => {
    expect(COMMAND_ROUTES.balance.permission).toBe('view');
    expect(COMMAND_ROUTES.history.permission).toBe('view');
    expect(COMMAND_ROUTES.usage.permission).toBe('view');
    for (const name of ['addFunds', 'autoRecharge', 'lowBalanceAlert', 'paymentMethod', 'alertsHere'] as const) expect(COMMAND_ROUTES[name].permission).toBe('manage');
    for (const name of ['help', 'greeting', 'unknown', 'tooLong'] as const) expect(COMMAND_ROUTES[name].permission).toBeNull();
  });
});
