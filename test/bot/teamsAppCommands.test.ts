import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { recognizeCommand, type Command } from '../../bot/commands/recognizeCommand.js';
import { APP_PACKAGE_DIR } from '../../bot/teamsApp/buildPackage.js';

interface CommandList {
  scopes: string[];
  commands: { title: string; description: string }[];
}

const manifest = JSON.parse(await readFile(path.join(APP_PACKAGE_DIR, 'manifest.json'), 'utf8')) as { bots: { commandLists: CommandList[] }[] };
const chinese = JSON.parse(await readFile(path.join(APP_PACKAGE_DIR, 'zh-cn.json'), 'utf8')) as Record<string, string>;
const lists = manifest.bots[0]!.commandLists;

/** What a command suggested in Teams' compose box must do when the admin sends it as it stands. */
function meaning(command: Command): string {
  switch (command.name) {
    case 'autoRecharge':
      return command.change.kind === 'change' ? `autoRecharge ${command.change.enabled ? 'on' : 'off'}` : `autoRecharge ${command.change.kind}`;
    case 'alertsHere':
      return `alertsHere ${command.subscribe ? 'on' : 'off'}`;
    case 'weeklyReport':
      return `weeklyReport ${command.request.kind}`;
    default:
      return command.name;
  }
}

const EXPECTED: Record<string, string[]> = {
  personal: [
    'balance',
    'addFunds',
    'autoRecharge show',
    'autoRecharge on',
    'autoRecharge off',
    'history',
    'usage',
    'paymentMethod',
    'weeklyReport show',
    'help',
  ],
  team: ['balance', 'addFunds', 'autoRecharge show', 'history', 'usage', 'help', 'alertsHere on', 'alertsHere off'],
  groupChat: ['balance', 'addFunds', 'autoRecharge show', 'history', 'usage', 'help', 'alertsHere on', 'alertsHere off'],
};

describe('the Teams app’s suggested commands', () => {
  it('fit Teams’ limits: at most 10 per scope, titles of 32 characters, descriptions of 128, in both languages', () => {
    for (const [listIndex, list] of lists.entries()) {
      expect(list.commands.length, list.scopes.join()).toBeLessThanOrEqual(10);
      for (const [index, command] of list.commands.entries()) {
        const key = `bots[0].commandLists[${listIndex}].commands[${index}]`;
        for (const title of [command.title, chinese[`${key}.title`]]) expect(title?.length, key).toBeLessThanOrEqual(32);
        for (const description of [command.description, chinese[`${key}.description`]]) expect(description?.length, key).toBeLessThanOrEqual(128);
      }
    }
    // Every localised string belongs to a command that exists.
    for (const key of Object.keys(chinese).filter((k) => k.startsWith('bots['))) {
      const [, listIndex, index] = /commandLists\[(\d+)\]\.commands\[(\d+)\]/.exec(key) ?? [];
      expect(lists[Number(listIndex)]?.commands[Number(index)], key).toBeDefined();
    }
  });

  it.each(lists.map((list, listIndex) => [list.scopes.join(), list, listIndex] as const))(
    'in %s, each does what it says when sent as it stands, in English and in Chinese',
    (scope, list, listIndex) => {
      expect(list.commands.map((command) => meaning(recognizeCommand(command.title)))).toEqual(EXPECTED[scope]);
      const titles = list.commands.map((_, index) => chinese[`bots[0].commandLists[${listIndex}].commands[${index}].title`] ?? '(missing)');
      expect(titles.map((title) => meaning(recognizeCommand(title)))).toEqual(EXPECTED[scope]);
    },
  );
});
