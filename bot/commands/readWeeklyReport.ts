/**
 * "stop weekly report", "weekly report on", "weekly report Monday 9", "停止周报", "开启周报",
 * "周报 周五 17点": what a message about the weekly report asks. Switching it on or off is each
 * admin's own; a day or an hour sets when it comes for everyone.
 */
export type WeeklyReportRequest =
  | { kind: 'show' }
  | { kind: 'on' }
  | { kind: 'off' }
  /** A day, an hour, or both (what is left out keeps its value). */
  | { kind: 'schedule'; day?: number; hour?: number }
  /** It names a time the bot cannot use ("25:00", "9:30", two days). */
  | { kind: 'unreadable' };

export const WEEKLY_REPORT = /\bweekly (report|summary|digest|email)s?\b|\b(report|summary) (every|each) week\b|周报|每周报告|每周总结|每周汇总/;
const OFF =
  /\b(stop|off|disable|unsubscribe|mute|cancel|no more|don't|do not|never|turn off|switch off|opt out)\b|停止|关闭|取消|不要|不再|退订|关掉|别发|停发/;
const ON = /\b(on|enable|start|resume|subscribe|turn on|switch on|opt in)\b|开启|打开|启用|恢复|订阅|重新/;

const ENGLISH_DAYS: Array<[RegExp, number]> = [
  [/\bmon(day)?s?\b/, 1],
  [/\btue(s|sday)?s?\b/, 2],
  [/\bwed(nesday)?s?\b/, 3],
  [/\bthu(r|rs|rsday)?s?\b/, 4],
  [/\bfri(day)?s?\b/, 5],
  [/\bsat(urday)?s?\b/, 6],
  [/\bsun(day)?s?\b/, 7],
];
/** 周一, 星期一, 礼拜一 … 周日, 周天, 星期日. */
const CHINESE_DAY = /(?:周|星期|礼拜)([一二三四五六日天])/g;
const CHINESE_DAY_NUMBER: Record<string, number> = { 一: 1, 二: 2, 三: 3, 四: 4, 五: 5, 六: 6, 日: 7, 天: 7 };

/** "9", "9am", "5 pm", "17:00", "at 8"; minutes other than :00 make it unreadable. */
const ENGLISH_TIME = /\b(\d{1,2})(?::(\d{2}))?\s*(am|pm|a\.m\.|p\.m\.)?(?=\s|$|[^\w])/g;
/** "9点", "17:00", "下午5点", "早上九点", "十七点"; "9点半", "9点15分" are not whole hours. */
const CHINESE_TIME =
  /(上午|早上|早晨|中午|下午|晚上)?\s*(\d{1,2}|[零一二两三四五六七八九十]{1,3})\s*(?:(?:点|时)(整|钟|半|[一三]刻|[\d零一二两三四五六七八九十]+分)?|[:：](\d{2}))/g;
const CHINESE_DIGITS: Record<string, number> = { 零: 0, 一: 1, 二: 2, 两: 2, 三: 3, 四: 4, 五: 5, 六: 6, 七: 7, 八: 8, 九: 9 };

/** Reads a message already known to be about the weekly report (normalised: lower case, NFKC). */
export function readWeeklyReport(text: string): WeeklyReportRequest {
  const days = new Set<number>();
  for (const [pattern, day] of ENGLISH_DAYS) if (pattern.test(text)) days.add(day);
  for (const match of text.matchAll(CHINESE_DAY)) days.add(CHINESE_DAY_NUMBER[match[1]!]!);
  const hours = readHours(text);
  if (days.size > 1 || hours === 'unreadable' || hours.length > 1) return { kind: 'unreadable' };
  if (days.size === 1 || hours.length === 1) {
    const request: WeeklyReportRequest = { kind: 'schedule' };
    if (days.size === 1) request.day = [...days][0]!;
    if (hours.length === 1) request.hour = hours[0]!;
    return request;
  }
  if (OFF.test(text)) return { kind: 'off' };
  if (ON.test(text)) return { kind: 'on' };
  return { kind: 'show' };
}

function readHours(text: string): number[] | 'unreadable' {
  const hours: number[] = [];
  for (const match of text.matchAll(CHINESE_TIME)) {
    const [, period, number, past, minutes] = match;
    const value = /\d/.test(number!) ? Number(number) : chineseNumber(number!);
    const wholeHour = (past === undefined || past === '整' || past === '钟') && (minutes === undefined || minutes === '00');
    if (value === null || !wholeHour) return 'unreadable';
    const afternoon = period === '下午' || period === '晚上';
    hours.push(afternoon && value < 12 ? value + 12 : value);
  }
  if (hours.length === 0) {
    for (const match of text.matchAll(ENGLISH_TIME)) {
      const [, number, minutes, meridiem] = match;
      let value = Number(number);
      if (minutes !== undefined && minutes !== '00') return 'unreadable';
      if (meridiem) {
        if (value < 1 || value > 12) return 'unreadable';
        value = (value % 12) + (meridiem.startsWith('p') ? 12 : 0);
      }
      hours.push(value);
    }
  }
  return hours.some((h) => h < 0 || h > 23) ? 'unreadable' : hours;
}

/** 一 … 二十三 (the hours of a day); null for anything else. */
function chineseNumber(text: string): number | null {
  const match = /^([一二两三四五六七八九])?(十)?([一二三四五六七八九])?$|^([零一二两三四五六七八九])$/.exec(text);
  if (!match) return null;
  if (match[4]) return CHINESE_DIGITS[match[4]]!;
  if (!match[2]) return match[1] && !match[3] ? CHINESE_DIGITS[match[1]]! : null;
  return (match[1] ? CHINESE_DIGITS[match[1]]! : 1) * 10 + (match[3] ? CHINESE_DIGITS[match[3]]! : 0);
}
