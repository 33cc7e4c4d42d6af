import { confirmationSummary, renderConfirmationCard, type ConfirmationViewModel } from '../../cards/index.js';
import { cardOnFileOf } from './cardOnFile.js';
import { actorOf, cardReply, type HandlerDeps, type Reply, type Turn } from './handlerDeps.js';
import { startAddFunds } from './startAddFunds.js';

/**
 * An amount was chosen ("add 50", a preset, the amount input): the ledger records the offer under
 * a fresh operation id and the confirmation card shows it; or the add-funds card says why the
 * amount was refused. Nothing moves here.
 */
export async function reviewAddFunds(turn: Turn, deps: HandlerDeps, input: { amount: string; currency?: string | null }): Promise<Reply> {
  const offered = await deps.ledger.offerPurchase(turn.tenantId, {
    offerId: deps.newOperationId(),
    amount: input.amount,
    currency: input.currency ?? null,
    offeredTo: actorOf(turn),
  });
  if (!offered.ok) return startAddFunds(turn, deps, { amount: input.amount, error: offered.error });
  const offer = offered.value;
  const account = await deps.ledger.openAccount(turn.tenantId);
  const vm: ConfirmationViewModel = {
    operationId: offer.offerId,
    amountMinor: offer.amountMinor,
    currency: offer.currency,
    card: await cardOnFileOf(turn, deps),
    balanceMinor: account.balanceMinor,
  };
  return cardReply(renderConfirmationCard(vm, turn), confirmationSummary(vm, turn));
}
