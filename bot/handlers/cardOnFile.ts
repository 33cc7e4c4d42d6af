import { cardOnFileViewModel, type CardOnFileViewModel } from '../../cards/index.js';
import type { HandlerDeps, Turn } from './handlerDeps.js';

/** The tenant's card on file as the cards show it: expired or not, and a sandbox card as a test card. */
export async function cardOnFileOf(turn: Turn, deps: HandlerDeps): Promise<CardOnFileViewModel | null> {
  return cardOnFileViewModel(await deps.gateway.cardOnFile(turn.tenantId), deps.clock.now(), deps.sandbox !== null);
}
