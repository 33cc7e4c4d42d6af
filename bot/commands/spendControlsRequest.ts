import { checkMention, readAmounts, type AmountMention, type AmountReading } from './readAmounts.js';

/**
 * Spend controls in words, English and Chinese: "limit auto-recharge to $500 a month", "limit
 * auto-recharge to 3 a month", "remove the recharge limit", "alert me when more than $200 is spent
 * in a day", "每月自动充值上限 500 美元", "每月自动充值最多 3 次", "取消自动充值上限",
 * "每日消费超过 200 美元时提醒我", "取消每日消费提醒". The words decide which control; the amounts
 * are read only once the person may set it (`readSpendControls`).
 */
export type SpendControlsIntent = 'show' | 'monthly' | 'daily' | 'removeMonthly' | 'removeDaily';

export type SpendControlsRequest =
  | { kind: 'show' }
  /** `unit`: what the words say the number is; `either`: a bare number, which the handler decides by its size. */
  | { kind: 'monthly'; amount?: AmountMention; count?: AmountMention; either?: AmountMention }
  | { kind: 'daily'; amount: AmountMention }
  | { kind: 'remove'; which: 'monthly' | 'daily' }
  | { kind: 'missing'; which: 'monthly' | 'daily' }
  | { kind: 'unreadable'; which: 'monthly' | 'daily'; reason: 'several' | 'negative' | 'not-exact'; text: string };

const RECHARGE = /auto[\s-]*(re[\s-]*charge|top[\s-]*up)|\bre[\s-]*charges?\b|\btop[\s-]*ups?\b|自动充值|充值/;
/** Words of a cap strong enough on their own ("recharge limit", "充值上限"). */
const CAP = /\b(limit|limits|cap|caps|capped|ceiling)\b|上限|限额|封顶/;
const AT_MOST = /\b(at most|no more than|not more than|max|maximum)\b|最多|不超过|不能超过|至多/;
const MONTH = /\bmonth\b|\bmonthly\b|每月|每个月|一个月|月度/;
const DAY = /\bday\b|\bdaily\b|\btoday\b|每日|每天|一天|单日|当天|今天|当日/;
const SPEND = /\bspen[dt]\b|\bspending\b|\bcosts?\b|消费|花费|支出|花了|话费|费用|开销/;
const ALERT = /\b(alert|alerts|notify|tell|warn|remind|let me know)\b|提醒|通知|告诉|预警|警告|告警/;
const REMOVE = /\b(remove|delete|clear|cancel|drop|lift|disable|turn off|switch off|stop|no)\b|取消|删除|解除|去掉|移除|关闭|停止|不要/;
const SHOW = /^(spend(ing)? (controls?|limits?|caps?)|(show |see )?(the )?(recharge|auto[\s-]*recharge) (limits?|caps?)|消费控制|消费限额|(自动)?充值上限)$/;
/** Words right after a number that make it a count of recharges. */
const COUNT_AFTER = /^\s*(times|recharges?|top[\s-]*ups?|x\b|次|回)/;
/** A mention written as money: a currency symbol, code or word. */
const MONEY = /[$€£¥￥]|dollars?|bucks|usd|eur|gbp|cny|rmb|美元|美金|元|块|刀|欧元|英镑/i;

/** Which control a message (normalised: lower case, NFKC) is about, or null when it is about none. */
export function spendControlsIntent(text: string): SpendControlsIntent | null {
  if (SHOW.test(text)) return 'show';
  const remove = REMOVE.test(text);
  if (RECHARGE.test(text) && (CAP.test(text) || (AT_MOST.test(text) && MONTH.test(text)))) return remove && !hasDigits(text) ? 'removeMonthly' : 'monthly';
  if (DAY.test(text) && SPEND.test(text) && (ALERT.test(text) || CAP.test(text))) return remove && !hasDigits(text) ? 'removeDaily' : 'daily';
  return null;
}

/** The request with its amounts, for an intent `spendControlsIntent` found in the same text. */
export function readSpendControls(text: string, intent: SpendControlsIntent): SpendControlsRequest {
  if (intent === 'show') return { kind: 'show' };
  if (intent === 'removeMonthly') return { kind: 'remove', which: 'monthly' };
  if (intent === 'removeDaily') return { kind: 'remove', which: 'daily' };
  const which = intent;
  const mentions = readAmounts(text);
  if (mentions.length === 0) return { kind: 'missing', which };
  const several = { kind: 'unreadable', which, reason: 'several', text: mentions.map((m) => m.text).join(', ') } as const;
  for (const mention of mentions) {
    const checked: AmountReading = checkMention(mention);
    if (checked.kind === 'unreadable') return { ...checked, which };
  }
  if (which === 'daily') return mentions.length === 1 ? { kind: 'daily', amount: mentions[0]! } : several;
  // A month's cap: an amount, a count, or one of each ("$500 or 3 recharges a month").
  const request: Extract<SpendControlsRequest, { kind: 'monthly' }> = { kind: 'monthly' };
  if (mentions.length > 2) return several;
  for (const mention of mentions) {
    const role = COUNT_AFTER.test(text.slice(mention.end + 1)) ? 'count' : mention.currency || MONEY.test(mention.text) ? 'amount' : 'either';
    if (request[role]) return several;
    request[role] = mention;
  }
  // Of two, a bare number beside an amount is the count, beside a count the amount.
  if (request.either && mentions.length === 2) {
    const role = request.amount ? 'count' : 'amount';
    if (request[role]) return several;
    request[role] = request.either;
    delete request.either;
  }
  return request;
}

const hasDigits = (text: string) => /\d|[一二三四五六七八九十百千万两]/.test(text.replace(/一天|一个月|每一|单一/g, ''));
