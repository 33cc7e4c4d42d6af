/**
 * What the help card can explain: the commands the bot routes free text to. The bot's command
 * routes name the topic of each (bot/routes/commandRoutes.ts), and the help card lists exactly
 * those, so help and routing cannot drift apart.
 */
export const HELP_TOPIC_NAMES = [
  'balance',
  'addFunds',
  'autoRecharge',
  'lowBalanceAlert',
  'spendControls',
  'history',
  'exportHistory',
  'usage',
  'paymentMethod',
  'alertsHere',
  'weeklyReport',
  'weeklyReportSchedule',
  'help',
] as const;

export type HelpTopic = (typeof HELP_TOPIC_NAMES)[number];
