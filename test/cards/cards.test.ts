import { describe, expect, it } from 'vitest';
import { cardCatalogue, LOCALES } from './fixtures.js';
import { cardBytes, cardProblems, MAX_CARD_BYTES } from './validateCard.js';

describe.each([...LOCALES, 'en-GB', 'zh-SG'])('every card in %s', (locale) => {
  const cards = cardCatalogue(locale);

  it.each(cards.map(({ name, card }) => [name, card] as const))('%s is a valid Adaptive Card 1.5', (_name, card) => {
    expect(cardProblems(card)).toEqual([]);
  });

  it.each(cards.map(({ name, card }) => [name, card] as const))('%s stays under 28 KB', (_name, card) => {
    expect(cardBytes(card)).toBeLessThan(MAX_CARD_BYTES);
  });

  it('are version 1.5 with a schema and no text of their own to send', () => {
    for (const { card } of cards) {
      expect(card).toMatchObject({ type: 'AdaptiveCard', version: '1.5', $schema: expect.stringContaining('adaptive-card.json') });
      // Besides the schema and consent, only the bot's own signed download links.
      expect(JSON.stringify(card)).not.toMatch(/https?:\/\/(?!adaptivecards\.io\/schemas|login\.microsoftonline\.com|bot\.contoso\.com\/api\/exports\/)/);
    }
  });
});
