/**
 * Messages built to make the amount recognizers work hard: the repeated numbers, units and
 * currency words whose cost grows about quadratically, in English, Chinese, digits, emoji and
 * mixes, at lengths from a few characters to far past any command.
 */
export const HOSTILE_UNITS = [
  '1 ',
  '1',
  '$1 ',
  '€1 ',
  '¥1',
  '1,',
  '1.',
  '-1 ',
  '2k ',
  '1e',
  '😀1',
  '1 usd ',
  'usd 1 ',
  'x 1 ',
  '1 x x x ',
  'one ',
  'five ',
  'hundred ',
  'one hundred and fifty dollars ',
  '1 dollar 50 cents ',
  'usd ',
  '$ ',
  'dollars ',
  '美元',
  '1美元',
  '一百',
  '5块',
  '五块五',
  '一百美元 ',
  '人民币1',
  '余额低于1时自动充值',
  '十',
  '😀',
];

/** Ways a command can open, so each family of commands meets the units. */
export const OPENINGS = ['', 'add ', '充值', 'auto-recharge below ', '自动充值', 'low balance alert ', 'balance ', 'usd usd usd usd usd ', '美元美元美元美元'];

/** `unit` repeated to exactly `length` characters (a code point may be cut at the end: that is hostile too). */
export function repeatedTo(opening: string, unit: string, length: number): string {
  return (opening + unit.repeat(Math.ceil(length / unit.length))).slice(0, length);
}

/** The shapes and more, from short to far past the command limit. */
export function hostileMessages(lengths: readonly number[]): string[] {
  const messages: string[] = [];
  for (const opening of OPENINGS)
    for (const unit of HOSTILE_UNITS) for (const length of lengths) messages.push(repeatedTo(opening, unit, Math.max(length, opening.length + 1)));
  return messages;
}
