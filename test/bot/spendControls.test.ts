import { describe, expect, it } from 'vitest';
import { AUTO_RECHARGE_INPUT_IDS, Verb, type AdaptiveCard } from '../../cards/index.js';
import { HOSTILE_UNITS } from '../support/hostileText.js';
import { cardInputs, cardText } from '../cards/validateCard.js';
import { ALEX, MEGAN, teamsBotFixture } from './support/teamsBotFixture.js';

const SHANGHAI = { entities: [{ type: 'clientInfo', timezone: 'Asia/Shanghai', locale: 'zh-CN' }] };

async function withAutoRecharge(options: Parameters<typeof teamsBotFixture>[0] = {}) {
  const f = teamsBotFixture(options);
  await f.ledger.grantFunds('tenant-a', { amount: '100', currency: 'USD', idempotencyKey: 'seed', actor: 'operator' });
  expect(await f.ledger.setAutoRecharge('tenant-a', { enabled: true, trigger: '20', amount: '50' }, 'admin')).toMatchObject({ ok: true });
  return f;
}

const controlsOf = async (f: ReturnType<typeof teamsBotFixture>) => (await f.ledger.account('tenant-a'))!.spendControls;
const entryCount = (f: ReturnType<typeof teamsBotFixture>) => (f.store.entries.get('tenant-a') ?? []).length;
const inputValue = (card: AdaptiveCard, id: string) => cardInputs(card).find((input) => input.id === id)?.value;

describe('Teams bot: spend controls by text', () => {
  it('sets and removes the monthly caps and the daily alert in English, counting in the writer’s time zone', async () => {
    const f = await withAutoRecharge();
    let reply = await f.say('limit auto-recharge to $500 a month', SHANGHAI);
    expect(await controlsOf(f)).toEqual({
      monthlyRechargeMaxMinor: 50_000,
      monthlyRechargeMaxCount: null,
      dailySpendAlertMinor: null,
      timeZone: 'Asia/Shanghai',
    });
    expect(cardText(reply.card)).toContain('Spend controls');
    expect(inputValue(reply.card, AUTO_RECHARGE_INPUT_IDS.monthlyMax)).toBe('500.00');

    await f.say('limit auto-recharge to 3 a month');
    await f.say('alert me when more than $200 is spent in a day');
    expect(await controlsOf(f)).toMatchObject({ monthlyRechargeMaxMinor: 50_000, monthlyRechargeMaxCount: 3, dailySpendAlertMinor: 20_000 });

    reply = await f.say('remove the recharge limit');
    expect(await controlsOf(f)).toMatchObject({ monthlyRechargeMaxMinor: null, monthlyRechargeMaxCount: null, dailySpendAlertMinor: 20_000 });
    expect(inputValue(reply.card, AUTO_RECHARGE_INPUT_IDS.monthlyMax)).toBe('');
    await f.say('remove the daily spend alert');
    expect((await controlsOf(f)).dailySpendAlertMinor).toBeNull();
    // Every change is a journaled settings change by the admin who wrote it.
    const changes = f.store.entries.get('tenant-a')!.filter((e) => e.detail.kind === 'settings-changed' && e.detail.spendControls);
    expect(changes).toHaveLength(5);
    expect(new Set(changes.map((e) => e.actor))).toEqual(new Set([ALEX.aadObjectId]));
    // The history says what each change set.
    const history = cardText((await f.say('history')).card);
    expect(history).toContain('Monthly cap: $500.00 or 3 recharges, whichever comes first.');
    expect(history).toContain('Daily alert: More than $200.00 a day.');
  });

  it('sets them in Chinese, and answers in Chinese', async () => {
    const f = await withAutoRecharge();
    const zh = { locale: 'zh-CN' };
    let reply = await f.say('每月自动充值上限 500 美元', zh);
    expect((await controlsOf(f)).monthlyRechargeMaxMinor).toBe(50_000);
    expect(cardText(reply.card)).toContain('消费控制');
    await f.say('每月自动充值最多 3 次', zh);
    expect((await controlsOf(f)).monthlyRechargeMaxCount).toBe(3);
    await f.say('每日消费超过 200 美元时提醒我', zh);
    expect((await controlsOf(f)).dailySpendAlertMinor).toBe(20_000);
    reply = await f.say('取消自动充值上限', zh);
    expect(await controlsOf(f)).toMatchObject({ monthlyRechargeMaxMinor: null, monthlyRechargeMaxCount: null });
    await f.say('取消每日消费提醒', zh);
    expect((await controlsOf(f)).dailySpendAlertMinor).toBeNull();
  });

  it('answers bad input on the card, under the field, and changes nothing', async () => {
    const f = await withAutoRecharge();
    const before = entryCount(f);
    const cases: Array<[string, RegExp, 'en-US' | 'zh-CN']> = [
      ['limit auto-recharge to $20 a month', /less than one recharge of \$50\.00/, 'en-US'],
      ['limit auto-recharge to 500 EUR a month', /EUR/, 'en-US'],
      ['limit auto-recharge to -5 a month', /positive amount/, 'en-US'],
      ['limit auto-recharge to 5 or 6 a month', /5, 6/, 'en-US'],
      ['limit auto-recharge to 200 times a month', /whole number from 1 to 100/, 'en-US'],
      ['alert me when more than lots is spent in a day', /amount/i, 'en-US'],
      ['每日消费超过 0 美元时提醒我', /0\.01/, 'zh-CN'],
      ['每月自动充值上限 20 美元', /低于单次充值金额/, 'zh-CN'],
    ];
    for (const [text, says, locale] of cases) {
      const reply = await f.say(text, { locale });
      expect(cardText(reply.card), text).toMatch(says);
    }
    expect(entryCount(f)).toBe(before);
  });

  it('only admins who may manage set them; others are refused and nothing changes', async () => {
    const f = await withAutoRecharge({ adminUserIds: ['aad-alex'], localMode: false });
    const before = entryCount(f);
    const reply = await f.say('limit auto-recharge to $500 a month', { person: MEGAN });
    expect(cardText(reply.card)).not.toContain('Spend controls');
    await f.invoke(
      { action: { type: 'Action.Execute', verb: Verb.autoRechargeSave, data: { verb: Verb.autoRechargeSave, monthlyMax: '', monthlyCount: '1' } } },
      { person: MEGAN },
    );
    expect(entryCount(f)).toBe(before);
    expect((await controlsOf(f)).monthlyRechargeMaxCount).toBeNull();
  });

  it('the help card lists the spend control commands in both languages', async () => {
    const f = teamsBotFixture();
    expect(cardText((await f.say('help')).card)).toContain('limit auto-recharge to $500 a month');
    expect(cardText((await f.say('帮助', { locale: 'zh-CN' })).card)).toContain('每月自动充值上限 500 美元');
  });
});

describe('Teams bot: spend controls on the auto-recharge card', () => {
  it('saves caps typed into the card and shows what the month has taken', async () => {
    const f = await withAutoRecharge();
    const card = (await f.say('auto-recharge')).card;
    expect(inputValue(card, AUTO_RECHARGE_INPUT_IDS.monthlyCount)).toBe('');
    const { body } = await f.execute(card, Verb.autoRechargeSave, { monthlyMax: '300', monthlyCount: '2', dailyAlert: '150' });
    expect(await controlsOf(f)).toMatchObject({ monthlyRechargeMaxMinor: 30_000, monthlyRechargeMaxCount: 2, dailySpendAlertMinor: 15_000 });
    expect(body.type).toBe('application/vnd.microsoft.card.adaptive');
    expect(cardText(body.value)).toMatch(/\$300\.00 or 2 recharges/);
    // Lowering the recharge amount and the cap together saves both (the amount first, so the cap fits it).
    await f.execute(body.value as AdaptiveCard, Verb.autoRechargeSave, { amount: '20', monthlyMax: '30' });
    expect((await controlsOf(f)).monthlyRechargeMaxMinor).toBe(3_000);
    expect((await f.ledger.account('tenant-a'))!.autoRecharge.amountMinor).toBe(2_000);
  });

  it('hostile card data is refused or dropped, never trusted, and changes nothing', async () => {
    const f = await withAutoRecharge();
    const card = (await f.say('auto-recharge')).card;
    const before = entryCount(f);
    const refusals: Array<Record<string, unknown>> = [
      { monthlyMax: '1e309' },
      { monthlyMax: '99999999999999999999' },
      { monthlyCount: '3; DROP TABLE accounts' },
      { monthlyCount: '0' },
      { monthlyCount: '-1' },
      { monthlyCount: '2.5' },
      { dailyAlert: '0' },
      { dailyAlert: '-200' },
      ...[...HOSTILE_UNITS, '<script>alert(1)</script>', "'; DROP TABLE accounts; --", '\u0000', '١٢٣'].map((text) => ({
        monthlyMax: text.repeat(2),
      })),
    ];
    for (const inputs of refusals) {
      const { body } = await f.execute(card, Verb.autoRechargeSave, inputs);
      expect(body.type, JSON.stringify(inputs)).toBe('application/vnd.microsoft.card.adaptive');
      expect(cardText(body.value), JSON.stringify(inputs)).not.toContain('Saved.');
    }
    // Past the schema: too long, not text, or another tenant named in the data.
    for (const inputs of [{ monthlyMax: '1'.repeat(65) }, { monthlyCount: { $gt: 1 } }, { dailyAlert: ['1'] }]) {
      const { body } = await f.execute(card, Verb.autoRechargeSave, inputs);
      expect(cardText(body.value)).not.toContain('Spend controls');
    }
    expect(entryCount(f)).toBe(before);
    await f.execute(card, Verb.autoRechargeSave, { tenantId: 'tenant-b', monthlyCount: '4' });
    expect((await controlsOf(f)).monthlyRechargeMaxCount).toBe(4);
    expect(await f.ledger.account('tenant-b')).toBeUndefined();
  });
});
