import { paymentMethodSummary, renderPaymentMethodCard, type PaymentMethodViewModel } from '../../cards/index.js';
import { cardOnFileOf } from './cardOnFile.js';
import { cardReply, type HandlerDeps, type Reply, type Turn } from './handlerDeps.js';

/**
 * The card on file and, with the sandbox gateway, the test cards to choose from; with auto-recharge
 * on, a warning when the card on file cannot pay its next recharge.
 */
export async function showPaymentMethod(turn: Turn, deps: HandlerDeps, options: { changed?: boolean } = {}): Promise<Reply> {
  const account = await deps.ledger.account(turn.tenantId);
  const vm: PaymentMethodViewModel = {
    current: await cardOnFileOf(turn, deps),
    sandbox: deps.sandbox !== null,
    currentTestCardId: (await deps.sandbox?.cardId(turn.tenantId)) ?? null,
    changed: options.changed ?? false,
    autoRechargeOn: account?.autoRecharge.enabled ?? false,
  };
  return cardReply(renderPaymentMethodCard(vm, turn), paymentMethodSummary(vm, turn));
}
