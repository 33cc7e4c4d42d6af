import type { AmountError, SpendControlField } from '../../cards/index.js';
import type { LedgerError } from '../../services/ledger/errors.js';
import { parseDecimal } from '../../services/money.js';
import type { Result } from '../../services/result.js';
import type { AutoRechargeChange, SpendControlsChange } from '../../services/ledgerService.js';
import { actorOf, type HandlerDeps, type Reply, type Turn } from './handlerDeps.js';
import { showAutoRecharge } from './showAutoRecharge.js';

/** The spend control inputs as the card sends them: typed text, empty for "no cap"; absent keeps the value. */
export type SpendControlInputs = { [F in SpendControlField]?: string };

/**
 * Saves auto-recharge (on/off, trigger, amount) and the spend controls from the settings card,
 * the one-button toggle or a sentence ("auto-recharge below 20 add 100", "limit auto-recharge to
 * $500 a month"). The ledger validates every field; a refusal comes back on the settings card
 * under the field it concerns, with what was typed. Only admins who may manage reach here.
 */
export async function saveAutoRecharge(turn: Turn, deps: HandlerDeps, change: AutoRechargeChange, inputs: SpendControlInputs = {}): Promise<Reply> {
  const controls = spendControlsChange(inputs, turn);
  const actor = actorOf(turn);
  // An empty change is not "save as is": saving auto-recharge unchanged resumes it after a pause.
  const saveRecharge = () => (Object.keys(change).length > 0 ? deps.ledger.setAutoRecharge(turn.tenantId, change, actor) : null);
  const saveControls = () => (controls ? deps.ledger.setSpendControls(turn.tenantId, controls, actor) : null);
  // A monthly cap must fit one recharge: a lower recharge amount is saved before a lower cap, a higher one after a higher cap.
  const account = await deps.ledger.openAccount(turn.tenantId);
  const amountFirst = change.amount !== undefined && lowersAmount(change.amount, account.autoRecharge.amountMinor, account.currency);
  const first = amountFirst ? await saveRecharge() : await saveControls();
  const second = failed(first) ? null : amountFirst ? await saveControls() : await saveRecharge();
  const refusal = failed(first) ? first : failed(second) ? second : null;
  const values = { ...valuesOf(change), ...inputs };
  if (!refusal) return showAutoRecharge(turn, deps, { saved: true });
  const wasControls = refusal === (amountFirst ? second : first);
  const field = wasControls ? controlFieldOf(refusal.error, inputs) : fieldOf(refusal.error, change);
  return showAutoRecharge(turn, deps, { values, error: { field, error: refusal.error } });
}

/** The settings card's error slot for an amount that could not be read at all. */
export function refusedAutoRecharge(turn: Turn, deps: HandlerDeps, field: 'trigger' | 'amount' | SpendControlField, error: AmountError): Promise<Reply> {
  return showAutoRecharge(turn, deps, { error: { field, error } });
}

type Outcome = Result<unknown, LedgerError> | null;
const failed = (outcome: Outcome): outcome is { ok: false; error: LedgerError } => outcome !== null && !outcome.ok;

/** Empty text removes a cap; the person's zone (when the client says it) becomes the one months and days count in. */
function spendControlsChange(inputs: SpendControlInputs, turn: Turn): SpendControlsChange | null {
  const change: SpendControlsChange = {};
  const capOf = (text: string) => (text.trim() === '' ? null : text.trim());
  if (inputs.monthlyMax !== undefined) change.monthlyRechargeMax = capOf(inputs.monthlyMax);
  if (inputs.monthlyCount !== undefined) change.monthlyRechargeCount = capOf(inputs.monthlyCount);
  if (inputs.dailyAlert !== undefined) change.dailySpendAlert = capOf(inputs.dailyAlert);
  if (Object.keys(change).length === 0) return null;
  if (turn.timeZone) change.timeZone = turn.timeZone;
  return change;
}

/** Whether the typed amount is below the current one (text the ledger cannot read is left to it to refuse). */
function lowersAmount(text: string, currentMinor: number, currency: string): boolean {
  const parsed = parseDecimal(text.trim(), currency);
  return parsed.ok && parsed.value < currentMinor;
}

function fieldOf(error: LedgerError, change: AutoRechargeChange): 'trigger' | 'amount' {
  if (error.code === 'trigger-negative') return 'trigger';
  if (error.code === 'invalid-amount' && change.trigger !== undefined && error.input === change.trigger && error.input !== change.amount) return 'trigger';
  return 'amount';
}

function controlFieldOf(error: LedgerError, inputs: SpendControlInputs): SpendControlField {
  if (error.code === 'recharge-count-invalid') return 'monthlyCount';
  if (error.code === 'monthly-limit-below-recharge') return 'monthlyMax';
  if (error.code === 'invalid-amount' && inputs.monthlyMax !== undefined && error.input === inputs.monthlyMax.trim()) return 'monthlyMax';
  if (inputs.dailyAlert !== undefined && inputs.dailyAlert.trim() !== '') return 'dailyAlert';
  return 'monthlyMax';
}

function valuesOf(change: AutoRechargeChange): { enabled?: boolean; trigger?: string; amount?: string } {
  const values: { enabled?: boolean; trigger?: string; amount?: string } = {};
  if (change.enabled !== undefined) values.enabled = change.enabled;
  if (change.trigger !== undefined) values.trigger = change.trigger;
  if (change.amount !== undefined) values.amount = change.amount;
  return values;
}
