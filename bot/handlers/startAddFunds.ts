import { addFundsSummary, renderAddFundsCard, type AddFundsViewModel, type AmountError } from '../../cards/index.js';
import { additionLimits } from '../../services/ledger/policy.js';
import { cardReply, type HandlerDeps, type Reply, type Turn } from './handlerDeps.js';

/** The add-funds card (amount input and presets), with what was typed and why it was refused, if so. */
export async function startAddFunds(turn: Turn, deps: HandlerDeps, prefill: { amount?: string; error?: AmountError } = {}): Promise<Reply> {
  const account = await deps.ledger.openAccount(turn.tenantId);
  const vm: AddFundsViewModel = {
    currency: account.currency,
    balanceMinor: account.balanceMinor,
    limits: additionLimits(deps.ledger.policy, account.currency),
    ...(prefill.amount !== undefined ? { amount: prefill.amount } : {}),
    ...(prefill.error ? { error: prefill.error } : {}),
  };
  return cardReply(renderAddFundsCard(vm, turn), addFundsSummary(vm, turn));
}
