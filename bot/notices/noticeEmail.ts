import { alertContent, alertSummary, languageOf, localize, type Strings, weeklyReportContent, weeklyReportViewModel } from '../../cards/index.js';
import type { Alert } from '../../services/alerts.js';

export interface NoticeText {
  language: string;
  subject: string;
  text: string;
  html: string;
}

/**
 * A notice email's subject and body in the recipient's language and time zone: the subject is the alert's
 * one-line summary (as in the Teams notification), the body the same words as the alert card, the
 * facts (when, and the balance where the sentence does not say it), and where to act (Teams).
 */
export function noticeEmail(alert: Alert, recipient: { name: string | null; locale: string | null; timeZone?: string | null }): NoticeText {
  if (alert.type === 'weekly-report') return weeklyReportEmail(alert, recipient);
  const { t, f } = localize(recipient);
  const content = alertContent(alert, recipient);
  const greeting = recipient.name ? t.email.greeting(recipient.name) : t.email.greetingNoName;
  // The alert's facts, the zone of its times said once after them, as on its card.
  const facts: Array<[string, string]> = content.facts.map((fact) => [fact.title, fact.value]);
  const zone = t.common.timesIn(f.zoneName);
  const text = [greeting, '', content.text, '', ...facts.map(([k, v]) => t.summary.line(k, v)), ...plainFooter(t, zone)].join('\n');
  const html = [
    ...htmlHeader(recipient, content.title, greeting),
    `<p>${escapeHtml(content.text)}</p>`,
    `<table>${facts.map(([k, v]) => factRow(k, v)).join('')}</table>`,
    ...htmlFooter(t, zone),
  ].join('\n');
  return { language: languageOf(recipient.locale), subject: t.email.subject(alertSummary(alert, recipient)), text, html };
}

/**
 * The weekly report by email: the same sections, facts and notes as its card
 * (`weeklyReportContent`), as text and as HTML tables.
 */
function weeklyReportEmail(
  alert: Extract<Alert, { type: 'weekly-report' }>,
  recipient: { name: string | null; locale: string | null; timeZone?: string | null },
): NoticeText {
  const { t, f } = localize(recipient);
  const content = weeklyReportContent(weeklyReportViewModel(alert), recipient);
  const greeting = recipient.name ? t.email.greeting(recipient.name) : t.email.greetingNoName;
  const zone = t.common.timesIn(f.zoneName);
  const text = [
    greeting,
    '',
    content.period,
    content.balance,
    '',
    ...content.sections.flatMap((part) => [
      part.title,
      ...(part.facts.length > 0 ? part.facts.map((fact) => `  ${t.summary.line(fact.title, fact.value)}`) : [`  ${part.empty ?? t.common.none}`]),
      '',
    ]),
    ...content.notes,
    ...plainFooter(t, zone),
  ].join('\n');
  const html = [
    ...htmlHeader(recipient, content.title, greeting),
    `<p>${escapeHtml(content.period)}<br><strong>${escapeHtml(content.balance)}</strong></p>`,
    ...content.sections.map(
      (part) =>
        `<h3>${escapeHtml(part.title)}</h3>${
          part.facts.length > 0
            ? `<table>${part.facts.map((fact) => factRow(fact.title, fact.value)).join('')}</table>`
            : `<p>${escapeHtml(part.empty ?? t.common.none)}</p>`
        }`,
    ),
    ...content.notes.map((line) => `<p style="color: #616161; font-size: smaller">${escapeHtml(line)}</p>`),
    ...htmlFooter(t, zone),
  ].join('\n');
  return { language: languageOf(recipient.locale), subject: t.email.subject(alertSummary(alert, recipient)), text, html };
}

/** The close of every notice's plain text: the time zone, where to act, who sent it and why. */
function plainFooter(t: Strings, zone: string): string[] {
  return [zone, '', t.email.openTeams, '', `— ${t.product}`, t.email.why, ''];
}

/** The opening of every notice's HTML: the document head, the title and the greeting. */
function htmlHeader(recipient: { locale: string | null }, title: string, greeting: string): string[] {
  return [
    '<!DOCTYPE html>',
    `<html lang="${languageOf(recipient.locale)}"><head><meta charset="utf-8"><title>${escapeHtml(title)}</title></head>`,
    '<body style="font-family: Segoe UI, Helvetica, Arial, sans-serif; color: #242424">',
    `<h2 style="color: #4F52B2">${escapeHtml(title)}</h2>`,
    `<p>${escapeHtml(greeting)}</p>`,
  ];
}

/** The close of every notice's HTML, as `plainFooter` says it in text. */
function htmlFooter(t: Strings, zone: string): string[] {
  return [
    `<p style="color: #616161; font-size: smaller">${escapeHtml(zone)}</p>`,
    `<p>${escapeHtml(t.email.openTeams)}</p>`,
    `<p style="color: #616161; font-size: smaller">— ${escapeHtml(t.product)}<br>${escapeHtml(t.email.why)}</p>`,
    '</body></html>',
  ];
}

/** One fact as a table row: its title, then its value. */
function factRow(title: string, value: string): string {
  return `<tr><th align="left" style="padding-right: 1em">${escapeHtml(title)}</th><td>${escapeHtml(value)}</td></tr>`;
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}
