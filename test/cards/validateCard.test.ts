import { describe, expect, it } from 'vitest';
import { renderBalanceCard } from '../../cards/index.js';
import { balance } from './fixtures.js';
import { cardProblems, expectValidCard, MAX_CARD_BYTES } from './validateCard.js';

/** The validator must catch what a host would reject or silently drop; otherwise the card tests prove nothing. */

const base = () => ({
  type: 'AdaptiveCard',
  $schema: 'http://adaptivecards.io/schemas/adaptive-card.json',
  version: '1.5',
  body: [{ type: 'TextBlock', text: 'Hello', wrap: true }] as unknown[],
  actions: [] as unknown[],
});

const execute = (over: Record<string, unknown> = {}) => ({
  type: 'Action.Execute',
  title: 'Go',
  verb: 'help',
  data: { verb: 'help' },
  fallback: { type: 'Action.Submit', title: 'Go', data: { verb: 'help' } },
  ...over,
});

describe('validateCard', () => {
  it('accepts a minimal valid card and a real one', () => {
    expect(cardProblems(base())).toEqual([]);
    expect(() => expectValidCard(renderBalanceCard(balance(), 'en-US'))).not.toThrow();
  });

  const broken: Array<[string, (card: ReturnType<typeof base>) => unknown, RegExp]> = [
    ['an unknown element', (c) => ({ ...c, body: [{ type: 'Bogus' }] }), /Unknown element type/i],
    ['an unknown action', (c) => ({ ...c, actions: [{ type: 'Action.Teleport', title: 'x' }] }), /Unknown action type/i],
    ['an invalid value', (c) => ({ ...c, body: [{ type: 'TextBlock', text: 'x', color: 'purple' }] }), /Invalid value "purple"/],
    ['a 1.6 property', (c) => ({ ...c, actions: [execute({ role: 'Button' })] }), /supported in version 1\.6/],
    ['a misspelt property', (c) => ({ ...c, body: [{ type: 'TextBlock', text: 'x', wieght: 'bolder' }] }), /no property "wieght"/],
    ['a 1.6 element', (c) => ({ ...c, body: [{ type: 'Carousel', pages: [] }] }), /Carousel/],
    [
      'duplicate input ids',
      (c) => ({
        ...c,
        body: [
          { type: 'Input.Text', id: 'a', label: 'A' },
          { type: 'Input.Text', id: 'a', label: 'B' },
        ],
      }),
      /Duplicate Id/,
    ],
    ['a required input without label', (c) => ({ ...c, body: [{ type: 'Input.Text', id: 'a', isRequired: true, errorMessage: 'e' }] }), /should have a label/],
    ['too many actions', (c) => ({ ...c, actions: Array.from({ length: 6 }, () => execute()) }), /TooManyActions/],
    ['an image from the internet', (c) => ({ ...c, body: [{ type: 'Image', url: 'https://example.com/x.png' }] }), /image from the internet/],
    ['version 1.6', (c) => ({ ...c, version: '1.6' }), /version is "1.6"/],
    ['a wrong type', (c) => ({ ...c, type: 'HeroCard' }), /not "AdaptiveCard"/],
    ['an oversized payload', (c) => ({ ...c, body: [{ type: 'TextBlock', text: 'x'.repeat(MAX_CARD_BYTES), wrap: true }] }), /Teams' limit/],
    ['Execute without fallback', (c) => ({ ...c, actions: [execute({ fallback: undefined })] }), /no Action.Submit fallback/],
    ['Execute whose data lacks the verb', (c) => ({ ...c, actions: [execute({ data: { amount: '5' } })] }), /data.verb/],
    [
      'a fallback with other data',
      (c) => ({ ...c, actions: [execute({ fallback: { type: 'Action.Submit', title: 'Go', data: { verb: 'balance.refresh' } } })] }),
      /fallback data differs/,
    ],
    ['a fallback sending other inputs', (c) => ({ ...c, actions: [execute({ associatedInputs: 'none' })] }), /fallback sends different inputs/],
    [
      'a nested misspelt property',
      (c) => ({ ...c, body: [{ type: 'Container', items: [{ type: 'FactSet', facts: [{ title: 'a', vale: 'b' }] }] }] }),
      /no property "vale"/,
    ],
  ];
  it.each(broken)('rejects %s', (_name, breakIt, message) => {
    const problems = cardProblems(breakIt(base()));
    expect(problems.join('\n')).toMatch(message);
    expect(() => expectValidCard(breakIt(base()))).toThrow();
  });
});
