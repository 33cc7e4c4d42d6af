import type { CardOnFile } from '../ports.js';

/** A card is usable through the last day of its expiry month (UTC). */
export function isCardExpired(card: Pick<CardOnFile, 'expMonth' | 'expYear'>, now: number): boolean {
  const today = new Date(now);
  return card.expYear < today.getUTCFullYear() || (card.expYear === today.getUTCFullYear() && card.expMonth < today.getUTCMonth() + 1);
}
