import { cardOnFileViewModel, paymentMethodSummary, renderPaymentMethodCard, type PaymentMethodViewModel } from '../../cards/index.js';
import { cardReply, type HandlerDeps, type Reply, type Turn } from './handlerDeps.js';

/** The card on file and, with the sandbox gateway, the test cards to choose from. */
export async function showPaymentMethod(turn: Turn, deps: HandlerDeps, options: { changed?: boolean } = {}): Promise<Reply> {
  const current = cardOnFileViewModel(await deps.gateway.cardOnFile(turn.tenantId), deps.clock.now());
  const vm: PaymentMethodViewModel = { current, sandbox: deps.sandbox !== null, currentTestCardId: deps.sandbox?.cardId(turn.tenantId) ?? null, changed: options.changed ?? false };
  return cardReply(renderPaymentMethodCard(vm, turn), paymentMethodSummary(vm, turn));
}
