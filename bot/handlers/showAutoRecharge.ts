import {
  autoRechargeSettingsSummary,
  autoRechargeViewModel,
  renderAutoRechargeCard,
  spendControlsViewModel,
  type AutoRechargeSettingsViewModel,
} from '../../cards/index.js';
import { additionLimits } from '../../services/ledger/policy.js';
import { cardOnFileOf } from './cardOnFile.js';
import { cardReply, type HandlerDeps, type Reply, type Turn } from './handlerDeps.js';

type Extra = Pick<AutoRechargeSettingsViewModel, 'values' | 'error' | 'saved'>;

/**
 * The auto-recharge settings card, as the account stands now (plus a refused input or "Saved"):
 * the card it charges, the recharge amount recent calls suggest, and the spend controls.
 */
export async function showAutoRecharge(turn: Turn, deps: HandlerDeps, extra: Extra = {}): Promise<Reply> {
  const account = await deps.ledger.openAccount(turn.tenantId);
  const runway = await deps.ledger.runway(turn.tenantId);
  const vm: AutoRechargeSettingsViewModel = {
    currency: account.currency,
    autoRecharge: autoRechargeViewModel(account, deps.clock.now()),
    spendControls: spendControlsViewModel(account, deps.clock.now()),
    limits: additionLimits(deps.ledger.policy, account.currency),
    cardOnFile: await cardOnFileOf(turn, deps),
    suggestedAmountMinor: runway?.suggestedRechargeMinor ?? null,
    ...extra,
  };
  return cardReply(renderAutoRechargeCard(vm, turn), autoRechargeSettingsSummary(vm, turn));
}
