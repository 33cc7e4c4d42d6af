import { describe, expect, it } from 'vitest';
import { recognizeCommand } from '../../bot/commands/recognizeCommand.js';

describe('weekly report commands', () => {
  it.each([
    ['stop weekly report', { name: 'weeklyReport', request: { kind: 'off' } }],
    ['Please stop the weekly report.', { name: 'weeklyReport', request: { kind: 'off' } }],
    ['unsubscribe from the weekly summary', { name: 'weeklyReport', request: { kind: 'off' } }],
    ['weekly report off', { name: 'weeklyReport', request: { kind: 'off' } }],
    ['停止周报', { name: 'weeklyReport', request: { kind: 'off' } }],
    ['不要再发周报了', { name: 'weeklyReport', request: { kind: 'off' } }],
    ['weekly report on', { name: 'weeklyReport', request: { kind: 'on' } }],
    ['turn on the weekly report', { name: 'weeklyReport', request: { kind: 'on' } }],
    ['开启周报', { name: 'weeklyReport', request: { kind: 'on' } }],
    ['weekly report', { name: 'weeklyReport', request: { kind: 'show' } }],
    ['周报', { name: 'weeklyReport', request: { kind: 'show' } }],
    ['weekly report Monday 9', { name: 'weeklyReportSchedule', request: { kind: 'schedule', day: 1, hour: 9 } }],
    ['send the weekly report on Fridays at 5pm', { name: 'weeklyReportSchedule', request: { kind: 'schedule', day: 5, hour: 17 } }],
    ['weekly report at 17:00', { name: 'weeklyReportSchedule', request: { kind: 'schedule', hour: 17 } }],
    ['weekly report on tuesday', { name: 'weeklyReportSchedule', request: { kind: 'schedule', day: 2 } }],
    ['weekly report sunday 12am', { name: 'weeklyReportSchedule', request: { kind: 'schedule', day: 7, hour: 0 } }],
    ['周报 周一 9点', { name: 'weeklyReportSchedule', request: { kind: 'schedule', day: 1, hour: 9 } }],
    ['每周五下午5点发周报', { name: 'weeklyReportSchedule', request: { kind: 'schedule', day: 5, hour: 17 } }],
    ['周报改到星期三早上八点', { name: 'weeklyReportSchedule', request: { kind: 'schedule', day: 3, hour: 8 } }],
    ['周报 周日 十七点', { name: 'weeklyReportSchedule', request: { kind: 'schedule', day: 7, hour: 17 } }],
    ['周报 礼拜二 18:00', { name: 'weeklyReportSchedule', request: { kind: 'schedule', day: 2, hour: 18 } }],
  ])('%s', (text, command) => {
    expect(recognizeCommand(text)).toEqual(command);
  });

  it.each([
    'weekly report monday 25',
    'weekly report at 9:30',
    'weekly report monday and friday at 9',
    'weekly report 13pm',
    '周报 周一 9点半',
    '周报 周一 25点',
  ])('cannot use %s: it changes nothing and says why', (text) => {
    expect(recognizeCommand(text)).toEqual({ name: 'weeklyReportSchedule', request: { kind: 'unreadable' } });
  });

  it('leaves the other commands alone', () => {
    expect(recognizeCommand('stop alerts here').name).toBe('alertsHere');
    expect(recognizeCommand('usage').name).toBe('usage');
    expect(recognizeCommand('add 50 on monday').name).toBe('addFunds');
  });
});
