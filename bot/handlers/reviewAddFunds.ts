import { cardOnFileViewModel, renderConfirmationCard } from '../../cards/index.js';
import { cardReply, type HandlerDeps, type Reply, type Turn } from './handlerDeps.js';
import { startAddFunds } from './startAddFunds.js';

/**
 * An amount was chosen ("add 50", a preset, the amount input): the confirmation card with a fresh
 * operation id, or the add-funds card saying why the amount was refused. Nothing moves here.
 */
export async function reviewAddFunds(turn: Turn, deps: HandlerDeps, input: { amount: string; currency?: string | null }): Promise<Reply> {
  const checked = await deps.ledger.checkAddition(turn.tenantId, input.amount);
  if (!checked.ok) return startAddFunds(turn, deps, { amount: input.amount, error: checked.error });
  const { amountMinor, currency } = checked.value;
  if (input.currency && input.currency !== currency) {
    return startAddFunds(turn, deps, { amount: input.amount, error: { code: 'currency-mismatch', expected: currency, got: input.currency } });
  }
  const account = await deps.ledger.openAccount(turn.tenantId);
  const card = renderConfirmationCard(
    {
      operationId: deps.newOperationId(),
      amountMinor,
      currency,
      card: cardOnFileViewModel(await deps.gateway.cardOnFile(turn.tenantId), deps.clock.now()),
      balanceMinor: account.balanceMinor,
    },
    turn.locale,
  );
  return cardReply(card);
}
