import { describe, expect, it } from 'vitest';
import { readAmounts, readOneAmount } from '../../bot/commands/readAmounts.js';
import { recognizeCommand, type CommandName } from '../../bot/commands/recognizeCommand.js';
import { strings } from '../../cards/index.js';

describe('readOneAmount', () => {
  it.each([
    ['$12.50', '12.50', null],
    ['12.5 dollars', '12.5', null],
    ['五十美元', '50', 'USD'],
    ['50块', '50', null],
    ['充值 100', '100', null],
    ['add funds 50 USD', '50', 'USD'],
    ['add 1,000.25', '1000.25', null],
    ['add fifty', '50', null],
    ['一百二十点五元', '120.5', null],
    ['1 dollar 50 cents', '1.5', null],
    ['add 3 hundred', '300', null],
    ['充值50人民币', '50', 'CNY'],
    ['add 100 euros', '100', 'EUR'],
    ['add ５０', '50', null],
  ])('%s → %s %s', (text, value, currency) => {
    const reading = readOneAmount(text);
    expect(reading.kind).toBe('amount');
    if (reading.kind !== 'amount') return;
    expect(reading.mention.value).toBe(value);
    expect(reading.mention.currency).toBe(currency);
  });

  it('keeps digits exactly as typed, where the recognizer would round them in floating point', () => {
    expect(readOneAmount('add 10.10').kind === 'amount' && readOneAmount('add 10.10')).toMatchObject({ mention: { value: '10.10' } });
    expect(readOneAmount('add 0.30000000000000004')).toMatchObject({ kind: 'unreadable', reason: 'not-exact' });
    expect(readOneAmount('add 99999999999999999999')).toMatchObject({ kind: 'unreadable', reason: 'not-exact' });
  });

  it('refuses what it cannot act on, and says which', () => {
    expect(readOneAmount('add -50')).toMatchObject({ kind: 'unreadable', reason: 'negative' });
    expect(readOneAmount('add 50.5.5')).toMatchObject({ kind: 'unreadable', reason: 'several' });
    expect(readOneAmount('add 20 100')).toMatchObject({ kind: 'unreadable' });
    expect(readOneAmount('add 1e400')).toMatchObject({ kind: 'unreadable', reason: 'not-exact' });
    expect(readOneAmount('add some money')).toEqual({ kind: 'none' });
  });

  it('finds amounts in order with their positions', () => {
    expect(readAmounts('recharge when below $20 with $100').map((m) => m.value)).toEqual(['20', '100']);
  });
});

describe('recognizeCommand', () => {
  const cases: Array<[string, CommandName]> = [
    // SPEC §3
    ['balance', 'balance'],
    ["what's my balance?", 'balance'],
    ['余额', 'balance'],
    ['查询余额', 'balance'],
    ['add 50', 'addFunds'],
    ['add $50', 'addFunds'],
    ['add funds 50 USD', 'addFunds'],
    ['充值50美元', 'addFunds'],
    ['充值 100', 'addFunds'],
    ['auto-recharge', 'autoRecharge'],
    ['turn on auto-recharge', 'autoRecharge'],
    ['turn off auto-recharge', 'autoRecharge'],
    ['auto-recharge below 20 add 100', 'autoRecharge'],
    ['开启自动充值', 'autoRecharge'],
    ['关闭自动充值', 'autoRecharge'],
    ['history', 'history'],
    ['usage', 'usage'],
    ['payment method', 'paymentMethod'],
    ['help', 'help'],
    ['帮助', 'help'],
    // and more natural ones
    ['top up 20', 'addFunds'],
    ['I want to add 50', 'addFunds'],
    ['buy 100 credits', 'addFunds'],
    ['How much credit do we have?', 'balance'],
    ['show my balance', 'balance'],
    ['余额多少', 'balance'],
    ['我们还有多少钱', 'balance'],
    ['recharge when below 20 with 100', 'autoRecharge'],
    ['disable auto recharge', 'autoRecharge'],
    ['余额低于20时自动充值100', 'autoRecharge'],
    ['查看历史', 'history'],
    ['show transactions', 'history'],
    ['export history', 'exportHistory'],
    ['download csv', 'exportHistory'],
    ['Download the CSV', 'exportHistory'],
    ['export recharge history', 'exportHistory'],
    ['导出历史记录', 'exportHistory'],
    ['下载交易明细', 'exportHistory'],
    ['how much did we spend', 'usage'],
    ['用量', 'usage'],
    ['付款方式', 'paymentMethod'],
    ['change card', 'paymentMethod'],
    ['alert me when the balance is below 15', 'lowBalanceAlert'],
    ['余额提醒 15', 'lowBalanceAlert'],
    ['what can you do', 'help'],
    ['hi', 'greeting'],
    ['你好', 'greeting'],
    ['$12.50', 'addFunds'],
    ['五十美元', 'addFunds'],
    ['asdf qwerty', 'unknown'],
  ];
  it.each(cases)('%s → %s', (text, name) => {
    expect(recognizeCommand(text).name).toBe(name);
  });

  it('reads auto-recharge trigger and amount by the words before them', () => {
    const values = (text: string) => {
      const command = recognizeCommand(text);
      if (command.name !== 'autoRecharge' || command.change.kind !== 'change') return command;
      return { enabled: command.change.enabled, trigger: command.change.trigger?.value, amount: command.change.amount?.value };
    };
    expect(values('auto-recharge below 20 add 100')).toEqual({ enabled: true, trigger: '20', amount: '100' });
    expect(values('auto-recharge add 100 when below 20')).toEqual({ enabled: true, trigger: '20', amount: '100' });
    expect(values('enable auto top-up at 25 with 200')).toEqual({ enabled: true, trigger: '25', amount: '200' });
    expect(values('自动充值100 余额不足20时')).toEqual({ enabled: true, trigger: '20', amount: '100' });
    expect(values('set auto recharge amount to 75')).toEqual({ enabled: true, trigger: undefined, amount: '75' });
    expect(values('turn off auto-recharge')).toEqual({ enabled: false, trigger: undefined, amount: undefined });
    expect(recognizeCommand('auto-recharge below 20 below 30')).toMatchObject({ change: { kind: 'unreadable' } });
  });

  it('reads a currency code before the digits, cents, and a history of top-ups', () => {
    expect(recognizeCommand('add USD 50')).toMatchObject({ name: 'addFunds', amount: { kind: 'amount', mention: { value: '50', currency: 'USD' } } });
    expect(recognizeCommand('add EUR 12.50')).toMatchObject({ name: 'addFunds', amount: { kind: 'amount', mention: { value: '12.50', currency: 'EUR' } } });
    expect(recognizeCommand('add 3 hundred dollars')).toMatchObject({ amount: { mention: { value: '300' } } });
    expect(recognizeCommand('add 50 cents')).toMatchObject({ amount: { mention: { value: '0.50' } } });
    expect(recognizeCommand('add 1250 cents')).toMatchObject({ amount: { mention: { value: '12.50' } } });
    expect(recognizeCommand('充值记录')).toEqual({ name: 'history' });
    expect(recognizeCommand('recharge history')).toEqual({ name: 'history' });
  });

  it('reads a rule without the word auto-recharge as auto-recharge, and a plain "recharge 50" as adding funds', () => {
    const values = (text: string) => {
      const command = recognizeCommand(text);
      if (command.name !== 'autoRecharge' || command.change.kind !== 'change') return command;
      return { trigger: command.change.trigger?.value, amount: command.change.amount?.value };
    };
    expect(values('when balance drops under $15 recharge $75')).toEqual({ trigger: '15', amount: '75' });
    expect(values('recharge $75 when the balance falls below $15')).toEqual({ trigger: '15', amount: '75' });
    expect(values('if the balance is under 10, top up 50')).toEqual({ trigger: '10', amount: '50' });
    expect(recognizeCommand('recharge 50')).toMatchObject({ name: 'addFunds', amount: { kind: 'amount', mention: { value: '50' } } });
  });
});

describe('recognizeCommand: alerts in a channel or group chat', () => {
  it.each([
    'post alerts here',
    'Post alerts here.',
    'send alerts here please',
    'post billing alerts in this channel',
    'send notifications to this group chat',
    'I want alerts in this chat',
    'subscribe this channel',
    'turn on alerts here',
    '在这里发提醒',
    '在此频道接收提醒',
    '把提醒发到这个群',
    '本群聊也推送预警',
    '订阅提醒',
  ])('"%s" subscribes', (text) => {
    expect(recognizeCommand(text)).toEqual({ name: 'alertsHere', subscribe: true });
  });

  it.each([
    'stop alerts here',
    'Stop posting alerts in this channel!',
    'no more alerts here',
    "don't send notifications to this chat",
    'unsubscribe',
    'turn off alerts here',
    '停止在这里发提醒',
    '这里不要再发提醒了',
    '取消在此频道接收提醒',
    '别在这个群里发通知',
    '退订',
  ])('"%s" unsubscribes', (text) => {
    expect(recognizeCommand(text)).toEqual({ name: 'alertsHere', subscribe: false });
  });

  it('leaves the low-balance alert threshold and other commands alone', () => {
    expect(recognizeCommand('low balance alert 15').name).toBe('lowBalanceAlert');
    expect(recognizeCommand('alert me when the balance is below 15').name).toBe('lowBalanceAlert');
    expect(recognizeCommand('余额提醒 15').name).toBe('lowBalanceAlert');
    expect(recognizeCommand('turn off auto-recharge').name).toBe('autoRecharge');
    expect(recognizeCommand('show balance here').name).toBe('balance');
  });

  it('understands every phrasing the help card suggests, in both languages', () => {
    const helpExamples = (locale: string) => Object.values(strings(locale).help.topics).flatMap((examples) => examples.map(([example]) => example));
    for (const locale of ['en-US', 'zh-CN']) {
      for (const example of helpExamples(locale)) expect(recognizeCommand(example).name, example).not.toBe('unknown');
      const [subscribe, unsubscribe] = helpExamples(locale).filter((example) => recognizeCommand(example).name === 'alertsHere');
      expect(recognizeCommand(subscribe!)).toEqual({ name: 'alertsHere', subscribe: true });
      expect(recognizeCommand(unsubscribe!)).toEqual({ name: 'alertsHere', subscribe: false });
    }
  });
});
