import { writesANumber } from './amountSpans.js';
import { checkMention, readAmounts, readOneAmount, type AmountMention, type AmountReading } from './readAmounts.js';
import { readSpendControls, spendControlsIntent, type SpendControlsRequest } from './spendControlsRequest.js';
import { readWeeklyReport, WEEKLY_REPORT, type WeeklyReportRequest } from './readWeeklyReport.js';

/** The longest message read as a command; a longer one is answered as too long, before any reading. */
export const MAX_COMMAND_LENGTH = 500;

/** What a free-text message asks for, with the amounts it named. */
export type Command =
  | { name: 'help' }
  | { name: 'greeting' }
  | { name: 'balance' }
  | { name: 'history' }
  | { name: 'exportHistory' }
  | { name: 'usage' }
  | { name: 'paymentMethod' }
  | { name: 'addFunds'; amount: AmountReading }
  | { name: 'autoRecharge'; change: AutoRechargeRequest }
  | { name: 'lowBalanceAlert'; threshold: AmountReading }
  | { name: 'spendControls'; request: SpendControlsRequest }
  | { name: 'alertsHere'; subscribe: boolean }
  /** Show, or switch on or off for oneself, the weekly report. */
  | { name: 'weeklyReport'; request: Extract<WeeklyReportRequest, { kind: 'show' | 'on' | 'off' }> }
  /** Set (or fail to read) the day and hour it comes, for every admin. */
  | { name: 'weeklyReportSchedule'; request: Extract<WeeklyReportRequest, { kind: 'schedule' | 'unreadable' }> }
  | { name: 'tooLong' }
  | { name: 'unknown' };

export type CommandName = Command['name'];

/** "turn on auto-recharge", "recharge when below 20 with 100", "关闭自动充值", or just "auto-recharge". */
export type AutoRechargeRequest =
  | { kind: 'show' }
  | { kind: 'change'; enabled?: boolean; trigger?: AmountMention; amount?: AmountMention }
  | { kind: 'unreadable'; reason: 'several' | 'negative' | 'not-exact'; text: string };

// Phrasings, English and Chinese. Order matters: the first family that matches wins.
/** "post alerts here", "stop alerts in this channel", "在这里发提醒", "停止在此频道接收提醒", "subscribe", "退订". */
const ALERTS_HERE = {
  place:
    /\bhere\b|\b(this|our) (channel|group chat|group|chat|conversation|team|thread)\b|这里|这儿|此处|群里|(此|这个|本|该|这)(频道|群聊|群组|群|聊天|会话|团队)/,
  alerts: /\b(alerts|notifications|warnings|notices)\b|提醒|通知|预警|告警|警报/,
  subscription: /\b(un)?subscribe\b|订阅|退订/,
  off: /\b(stop|unsubscribe|disable|mute|cancel|remove|no|no longer|don't|do not|never|turn off|switch off)\b|停止|取消|不要|别在|别再|别发|不再|关闭|关掉|退订|停发|不用/,
};
const AUTO_RECHARGE =
  /auto[\s-]*(re[\s-]*charge|top[\s-]*up|refill|fund|pay)|automatic(ally)?\s+(re[\s-]*charge|top[\s-]*up)|re[\s-]*charge\s+(automatically|when|if|whenever|once)|top[\s-]*up\s+(automatically|when|if|whenever)|自动(充值|续费|充|补充|加款)|\b(when|if|whenever|once)\b.*\b(below|under|less than|lower than|drops?|falls?)\b.*\b(re[\s-]*charge|top[\s-]*up|refill|add)\b|\b(re[\s-]*charge|top[\s-]*up|refill|add)\b.*\b(when|if|whenever|once)\b.*\b(below|under|less than|lower than|drops?|falls?)\b/;
const OFF = /\b(off|disable|disabled|stop|cancel|deactivate|pause|no longer)\b|关闭|关掉|停用|停止|取消|禁用|暂停|不要/;
const ON = /\b(on|enable|enabled|start|activate|resume|set up|setup|switch on|turn on)\b|开启|打开|启用|开通|恢复|设置|设为|设定/;
/** Words before a trigger amount, and before the amount to add. */
const TRIGGER_WORDS =
  /below|under|less than|lower than|beneath|drops?|falls?|reaches|hits|\bat\b|trigger|threshold|when|if|<|低于|少于|小于|不足|以下|不到|触发|阈值|门槛|时/g;
const AMOUNT_WORDS = /\badd\b|\bwith\b|\bre[\s-]*charge\b|\brefill\b|\bby\b|amount|top[\s-]*up|\bof\b|\bbuy\b|充值?|加|补|金额/g;
const LOW_BALANCE_ALERT =
  /low[\s-]*balance\s*(alert|warning|threshold|notification|notice)?|alert (me )?(when|if|at|below)|(warn|notify|tell) me (when|if|at|below)|alert threshold|余额(提醒|预警|告警|不足提醒)|低余额|提醒(阈值|金额|我)|预警/;
const PAYMENT_METHOD =
  /payment|card on file|credit card|debit card|test cards?|\b(change|update|replace|switch|add|use|set|pick|choose) (a |the |my |our |another )?(new |different |test )?card\b|^cards?$|付款方式|支付方式|付款卡|银行卡|信用卡|借记卡|换卡|换一张卡/;
const ADD_FUNDS =
  /\b(add|top[\s-]*up|topup|buy|purchase|deposit|recharge|refill|replenish)\b|^(please\s+)?(fund|load|put|pay|credit)\b|充值|加钱|存入|购买|买|续费|入金|加款|充钱|充/;
/** "export history", "download csv", "导出历史记录": the whole history as a file. */
const EXPORT_HISTORY =
  /\b(export|download)\b.*\b(history|transactions?|journal|statement|ledger|csv|spreadsheet|excel)\b|\bcsv\b|导出|下载.*(历史|记录|明细|流水|账单|表格)/;
const HISTORY = /history|transactions?|journal|statement|ledger|recent|activity|历史|交易|记录|账单|流水|明细/;
const USAGE = /usage|spend|spent|spending|consumption|calls?\b|minutes|用量|使用情况|使用量|消费|消耗|话费|通话|花了|花费/;
const BALANCE = /balance|credits?|how much|status|account|funds|money|left|remaining|余额|剩余|还有多少|多少钱|账户|帐户|额度|查询|余下/;
const HELP =
  /^(help|\?|menu|commands?|options|what can you do|how does this work|usage help|帮助|菜单|命令|指令|怎么用|如何使用|你能做什么|能做什么|说明)$|\bhelp\b|帮助/;
const GREETING = /^(hi|hello|hey|yo|good (morning|afternoon|evening)|howdy|你好|您好|嗨|哈喽|早上好|下午好|晚上好)(\s|$)/;

/**
 * A message read by its words alone: the command it asks for, which is enough to decide who may
 * run it, and `read()` for the command with its amounts. Reading amounts is the one costly step,
 * so it waits until the person is allowed; a message that turns out to hold no single amount after
 * all ("call 555 0100") reads as `unknown`.
 */
export interface CommandRequest {
  name: CommandName;
  read(): Command;
}

/** A message as a command, amounts and all, in one step. */
export function recognizeCommand(raw: string): Command {
  return commandRequest(raw).read();
}

/**
 * Reads a message (mention already removed) as a command. Amount-taking commands carry what the
 * recognizers found; a message that only states an amount ("$50", "五十美元") is read as adding it.
 * A message longer than any command is not read at all.
 */
export function commandRequest(raw: string): CommandRequest {
  if (raw.length > MAX_COMMAND_LENGTH) return known({ name: 'tooLong' });
  const text = normalize(raw);
  if (text === '') return known({ name: 'help' });
  // Before alerts here: "unsubscribe from the weekly report" is about the report, not a channel.
  if (WEEKLY_REPORT.test(text)) {
    const request = readWeeklyReport(text);
    return known(request.kind === 'schedule' || request.kind === 'unreadable' ? { name: 'weeklyReportSchedule', request } : { name: 'weeklyReport', request });
  }
  if ((ALERTS_HERE.alerts.test(text) && ALERTS_HERE.place.test(text)) || ALERTS_HERE.subscription.test(text))
    return known({ name: 'alertsHere', subscribe: !ALERTS_HERE.off.test(text) });
  if (EXPORT_HISTORY.test(text)) return known({ name: 'exportHistory' });
  // Before auto-recharge and the low-balance alert, whose words a spend control also uses.
  const spend = spendControlsIntent(text);
  if (spend) return { name: 'spendControls', read: () => ({ name: 'spendControls', request: readSpendControls(text, spend) }) };
  if (AUTO_RECHARGE.test(text)) return { name: 'autoRecharge', read: () => ({ name: 'autoRecharge', change: autoRechargeRequest(text) }) };
  if (LOW_BALANCE_ALERT.test(text)) return { name: 'lowBalanceAlert', read: () => ({ name: 'lowBalanceAlert', threshold: readOneAmount(text) }) };
  if (PAYMENT_METHOD.test(text)) return known({ name: 'paymentMethod' });
  if (ADD_FUNDS.test(text)) {
    // "充值记录", "recharge history": a list of additions, not a new one.
    if (HISTORY.test(text) && !writesANumber(text)) return known({ name: 'history' });
    return { name: 'addFunds', read: () => ({ name: 'addFunds', amount: readOneAmount(text) }) };
  }
  if (HISTORY.test(text)) return known({ name: 'history' });
  if (USAGE.test(text)) return known({ name: 'usage' });
  if (BALANCE.test(text)) return known({ name: 'balance' });
  if (HELP.test(text)) return known({ name: 'help' });
  if (GREETING.test(text)) return known({ name: 'greeting' });
  if (writesANumber(text)) return { name: 'addFunds', read: () => amountAlone(text) };
  return known({ name: 'unknown' });
}

const known = (command: Command): CommandRequest => ({ name: command.name, read: () => command });

function normalize(raw: string): string {
  return raw
    .normalize('NFKC')
    .toLowerCase()
    .replace(/[’`]/g, "'")
    .replace(/[?!.。？！,，、;；:：]+$/u, '')
    .replace(/\s+/g, ' ')
    .trim();
}

function autoRechargeRequest(text: string): AutoRechargeRequest {
  const mentions = readAmounts(text);
  const off = OFF.test(text);
  const on = !off && ON.test(text);
  if (mentions.length === 0) return off ? { kind: 'change', enabled: false } : on ? { kind: 'change', enabled: true } : { kind: 'show' };
  if (mentions.length > 2) return { kind: 'unreadable', reason: 'several', text: mentions.map((m) => m.text).join(', ') };
  for (const mention of mentions) {
    const checked = checkMention(mention);
    if (checked.kind === 'unreadable') return checked;
  }
  // Each amount is what the nearest word before it says: "below 20" is the trigger, "add 100" the
  // amount; with no such word, the first of two is the trigger, and a lone one is the amount.
  const words = [
    ...[...text.matchAll(TRIGGER_WORDS)].map((m) => ({ at: m.index + m[0].length, role: 'trigger' as const })),
    ...[...text.matchAll(AMOUNT_WORDS)].map((m) => ({ at: m.index + m[0].length, role: 'amount' as const })),
  ].sort((a, b) => a.at - b.at);
  const roles = mentions.map((m, i) => {
    const from = i === 0 ? 0 : mentions[i - 1]!.end + 1;
    return words.filter((w) => w.at >= from && w.at <= m.start).at(-1)?.role ?? null;
  });
  if (roles[0] === null && roles.length === 2) roles[0] = roles[1] === 'trigger' ? 'amount' : 'trigger';
  if (roles[1] === null) roles[1] = roles[0] === 'trigger' ? 'amount' : 'trigger';
  if (roles[0] === null) roles[0] = 'amount';
  if (roles.length === 2 && roles[0] === roles[1]) return { kind: 'unreadable', reason: 'several', text: mentions.map((m) => m.text).join(', ') };
  const trigger = mentions[roles.indexOf('trigger')];
  const amount = mentions[roles.indexOf('amount')];
  const change: AutoRechargeRequest = { kind: 'change' };
  // Naming amounts without "off" means "do this": it switches auto-recharge on.
  change.enabled = !off;
  if (trigger) change.trigger = trigger;
  if (amount) change.amount = amount;
  return change;
}

/** "$50", "50 USD", "五十美元": nothing but one amount (and maybe currency words) is adding it; anything else is not understood. */
function amountAlone(text: string): Command {
  const mentions = readAmounts(text);
  const m = mentions[0];
  if (mentions.length !== 1 || !m || text.slice(0, m.start).trim() !== '' || text.slice(m.end + 1).trim() !== '') return { name: 'unknown' };
  return { name: 'addFunds', amount: checkMention(m) };
}
