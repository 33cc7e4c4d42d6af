import { describe, expect, it } from 'vitest';
import { TEST_CARDS } from '../../services/payments/sandboxGateway.js';
import { actionDataSchemas, executeAction, isVerb, parseActionData, Verb, VERBS, type ActionData } from '../../cards/index.js';
import { cardCatalogue, LOCALES } from './fixtures.js';
import { cardActions, cardInputs, executeActions } from './validateCard.js';

const FORBIDDEN_KEY = /tenant|role|admin|upn|aad|objectId/i;

describe.each(LOCALES)('card buttons in %s', (locale) => {
  const cards = cardCatalogue(locale);

  it.each(cards.map(({ name, card }) => [name, card] as const))('%s: every button has a known verb and data its schema accepts', (_name, card) => {
    for (const action of cardActions(card)) expect(['Action.Execute', 'Action.OpenUrl', 'Action.ShowCard']).toContain(action.type);
    for (const action of executeActions(card)) {
      expect(isVerb(action.verb), `verb ${action.verb}`).toBe(true);
      const schema = actionDataSchemas[action.verb as Verb];
      expect(schema.safeParse(action.data).success, `${action.verb} ${JSON.stringify(action.data)}`).toBe(true);
      expect(parseActionData(action.data).ok).toBe(true);
      // Only what the bot needs: every key is one the verb's schema reads; none names a tenant or a role.
      const { shape } = schema as unknown as { shape: Record<string, unknown> };
      expect(shape).toBeDefined();
      for (const key of Object.keys(action.data)) {
        expect(key).not.toMatch(FORBIDDEN_KEY);
        expect(Object.keys(shape), `${action.verb} carries ${key}`).toContain(key);
      }
    }
  });

  it('input values merged into the data still validate (as hosts send them)', () => {
    for (const { name, card } of cards) {
      const inputs = Object.fromEntries(cardInputs(card).map((input) => [input.id as string, typeof input.value === 'string' ? input.value : '']));
      for (const action of executeActions(card)) {
        if (action.associatedInputs === 'none') continue;
        const merged = { ...action.data, ...inputs };
        expect(parseActionData(merged).ok, `${name}: ${action.verb} with ${JSON.stringify(inputs)}`).toBe(true);
      }
    }
  });

  it('no card carries a tenant id, even where the view model had one', () => {
    for (const { card } of cards) expect(JSON.stringify(card)).not.toContain('contoso-tenant-id');
  });
});

describe('verbs', () => {
  it('are unique, and every verb has a schema', () => {
    expect(new Set(VERBS).size).toBe(VERBS.length);
    expect(Object.keys(actionDataSchemas).sort()).toEqual([...VERBS].sort());
    expect(VERBS).toEqual(
      expect.arrayContaining([
        'balance.refresh',
        'funds.start',
        'funds.review',
        'funds.confirm',
        'funds.cancel',
        'autoRecharge.open',
        'autoRecharge.save',
        'autoRecharge.toggle',
        'paymentMethod.open',
        'paymentMethod.choose',
        'history.page',
        'help',
        'alerts.threshold',
      ]),
    );
  });

  it('every verb is used by some card', () => {
    const used = new Set(LOCALES.flatMap((locale) => cardCatalogue(locale).flatMap(({ card }) => executeActions(card).map((a) => a.verb))));
    expect([...VERBS].filter((verb) => !used.has(verb))).toEqual([]);
  });
});

describe('executeAction', () => {
  it('makes an Action.Execute whose data carries the verb, with the same Action.Submit as fallback', () => {
    const action = executeAction({ verb: Verb.fundsCancel, title: 'Cancel', data: { operationId: 'op-1' }, ignoreInputs: true, style: 'destructive' });
    expect(action).toEqual({
      type: 'Action.Execute',
      title: 'Cancel',
      verb: 'funds.cancel',
      data: { verb: 'funds.cancel', operationId: 'op-1' },
      style: 'destructive',
      associatedInputs: 'none',
      fallback: { type: 'Action.Submit', title: 'Cancel', data: { verb: 'funds.cancel', operationId: 'op-1' }, style: 'destructive', associatedInputs: 'none' },
    });
  });
});

describe('parseActionData', () => {
  const parsed = (raw: unknown): ActionData => {
    const result = parseActionData(raw);
    if (!result.ok) throw new Error(result.error);
    return result.value;
  };

  it('drops fields a card must not carry, such as a tenant id or a role', () => {
    expect(parsed({ verb: 'balance.refresh', tenantId: 'other-tenant', role: 'Global Administrator', msteams: {} })).toEqual({ verb: 'balance.refresh' });
    expect(parsed({ verb: 'funds.confirm', operationId: 'op-1', tenantId: 'x' })).toEqual({ verb: 'funds.confirm', operationId: 'op-1' });
  });

  it('Confirm carries the offer id only: an amount or currency in its data never reaches the handler', () => {
    expect(parsed({ verb: 'funds.confirm', operationId: 'op-1', amount: '10000.00', currency: 'EUR' })).toEqual({ verb: 'funds.confirm', operationId: 'op-1' });
    expect(parsed({ verb: 'funds.confirm', operationId: 'op-1', amount: 50 })).toEqual({ verb: 'funds.confirm', operationId: 'op-1' });
    expect(parseActionData({ verb: 'funds.confirm', operationId: '' }).ok).toBe(false);
    expect(parseActionData({ verb: 'funds.confirm', operationId: 'op 1; drop' }).ok).toBe(false);
    expect(parseActionData({ verb: 'funds.confirm', amount: '5.00', currency: 'USD' }).ok).toBe(false);
  });

  it('passes typed amounts through as text for the ledger to judge, empty when none', () => {
    expect(parsed({ verb: 'funds.review', amount: ' fifty ' })).toEqual({ verb: 'funds.review', amount: ' fifty ' });
    expect(parsed({ verb: 'funds.review' })).toEqual({ verb: 'funds.review', amount: '' });
    expect(parsed({ verb: 'alerts.threshold' })).toEqual({ verb: 'alerts.threshold', threshold: '' });
    expect(parseActionData({ verb: 'funds.review', amount: 'x'.repeat(65) }).ok).toBe(false);
    expect(parseActionData({ verb: 'funds.review', amount: 50 }).ok).toBe(false);
  });

  it('reads toggles from Input.Toggle strings and from booleans', () => {
    expect(parsed({ verb: 'autoRecharge.save', enabled: 'true', trigger: '20', amount: '100' })).toEqual({
      verb: 'autoRecharge.save',
      enabled: true,
      trigger: '20',
      amount: '100',
    });
    expect(parsed({ verb: 'autoRecharge.save', enabled: 'false' })).toMatchObject({ enabled: false });
    expect(parsed({ verb: 'autoRecharge.toggle', enabled: false })).toEqual({ verb: 'autoRecharge.toggle', enabled: false });
    expect(parseActionData({ verb: 'autoRecharge.toggle', enabled: 'yes' }).ok).toBe(false);
    expect(parseActionData({ verb: 'autoRecharge.toggle' }).ok).toBe(false);
  });

  it('accepts only the sandbox test cards', () => {
    for (const id of Object.keys(TEST_CARDS))
      expect(parsed({ verb: 'paymentMethod.choose', testCardId: id })).toEqual({ verb: 'paymentMethod.choose', testCardId: id });
    expect(parseActionData({ verb: 'paymentMethod.choose', testCardId: '4242424242424242' }).ok).toBe(false);
    expect(parseActionData({ verb: 'paymentMethod.choose', testCardId: 'toString' }).ok).toBe(false);
  });

  it('pages history by direction and cursor together', () => {
    expect(parsed({ verb: 'history.page' })).toEqual({ verb: 'history.page' });
    expect(parsed({ verb: 'history.page', direction: 'older', cursor: '41' })).toEqual({ verb: 'history.page', direction: 'older', cursor: '41' });
    expect(parseActionData({ verb: 'history.page', direction: 'older' }).ok).toBe(false);
    expect(parseActionData({ verb: 'history.page', cursor: '41' }).ok).toBe(false);
    expect(parseActionData({ verb: 'history.page', direction: 'older', cursor: '-1' }).ok).toBe(false);
  });

  it('refuses unknown verbs and non-objects, saying where without echoing the data', () => {
    for (const raw of [null, 'balance', 42, [], {}, { verb: 'funds.steal' }, { verb: 'constructor' }]) {
      const result = parseActionData(raw);
      expect(result.ok).toBe(false);
    }
    const result = parseActionData({ verb: 'funds.confirm', operationId: 'SECRET; drop' });
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.error).toMatch(/^operationId:/);
      expect(result.error).not.toContain('SECRET');
    }
  });
});
