import type { OfferInvalidReason } from '../../services/ledger/errors.js';
import type { EntryKind, RechargeFailureReason } from '../../services/ledger/journal.js';
import type { HelpTopic } from '../helpTopics.js';

/**
 * Every text the bot shows, in English. Amounts and dates arrive already formatted for the
 * user's locale. `zh-CN.ts` must have the same keys (its type is this object's type).
 */
export const en = {
  product: 'Communications Credits',
  common: {
    system: 'System',
    operator: 'Operator',
    autoRecharge: 'Auto-recharge',
    none: '—',
    operation: (id: string) => `Operation ${id}`,
    moreItems: (n: number) => `and ${n} more`,
    /** Sentences as one text: English puts a space between them, Chinese none after "。". */
    sentences: (...parts: string[]) => parts.filter(Boolean).join(' '),
    /** A list cut short: "Adele, Megan, Alex and 2 more". */
    andMore: (list: string, more: string) => `${list} and ${more} more`,
    /** Said once per card that shows times: the zone they are all in. */
    timesIn: (zone: string) => `Times are in ${zone}.`,
    /** The one time of a card that shows only one, with its zone. */
    atTime: (time: string, zone: string) => `${time} (${zone})`,
  },
  /**
   * The one line Teams shows for a card in the chat list and the notification (the activity's
   * `summary`): a title and what matters most.
   */
  summary: {
    line: (title: string, detail: string) => `${title}: ${detail}`,
    balance: (amount: string) => `balance ${amount}`,
    lowBalance: (balance: string, threshold: string) => `${balance}, below ${threshold}`,
    expiring: (amount: string, date: string) => `${amount} on ${date}`,
    spike: (spend: string) => `${spend} in one hour`,
    /** `more`: how many other new destinations, already formatted; null when none. */
    newDestinations: (first: string, more: string | null) => (more === null ? `calls to ${first}` : `calls to ${first} and ${more} more destinations`),
  },
  actions: {
    addFunds: 'Add funds',
    autoRecharge: 'Auto-recharge',
    paymentMethod: 'Payment method',
    history: 'History',
    refresh: 'Refresh',
    showBalance: 'Show balance',
    downloadCsv: 'Download CSV',
    usage: 'Usage',
    help: 'Help',
    review: 'Review',
    confirm: (amount: string) => `Confirm ${amount}`,
    cancel: 'Cancel',
    save: 'Save',
    turnOn: 'Turn on auto-recharge',
    turnOff: 'Turn off auto-recharge',
    resume: 'Turn auto-recharge back on',
    older: 'Older',
    newer: 'Newer',
    newest: 'Newest',
    useCard: 'Use this card',
    lowBalanceAlert: 'Low-balance alert',
    grantConsent: 'Grant consent',
    tryAgain: 'Try again',
    changePaymentMethod: 'Change payment method',
    changeThreshold: 'Change alert threshold',
    autoRechargeSettings: 'Auto-recharge settings',
    seeUsage: 'See usage',
    seeWhoCalled: 'See who called',
    setUpAutoRecharge: 'Set up auto-recharge',
    /** The button that unfolds the buttons a row has no room for. */
    more: 'More',
    addAmount: (amount: string) => `Add ${amount}`,
    moneyOnly: 'Money in and out only',
    everything: 'Everything',
    useForAutoRecharge: (amount: string) => `Use ${amount} for auto-recharge`,
  },
  status: {
    label: 'Status',
    active: 'Active',
    suspended: 'Suspended',
    suspendedExplanation:
      'Calling with Communications Credits is suspended until the balance is above zero. Add funds to resume toll-free dial-in, meeting dial-out, international and pay-per-minute calls.',
    owed: (amount: string) => `New funds first pay off the ${amount} owed.`,
    /** Why auto-recharge did not lift the balance, naming the card it tried. */
    rechargeFailure: {
      declined: (card: string) => `Auto-recharge could not add funds: ${card} was declined.`,
      'expired-card': (card: string) => `Auto-recharge could not add funds: ${card} has expired.`,
      'no-payment-method': (_card: string) => 'Auto-recharge could not add funds: there is no card on file.',
      'gateway-error': (_card: string) => "Auto-recharge could not add funds yet: the payment service didn't answer. It tries again.",
    } satisfies Record<RechargeFailureReason, (card: string) => string>,
    noFundsYet: 'No funds yet',
  },
  autoRecharge: {
    off: 'Off',
    on: (trigger: string, amount: string) => `On: below ${trigger}, add ${amount}`,
    paused: (failures: number) => `Paused after ${failures} failed payments in a row`,
    waiting: 'Waiting for a new payment method',
    inProgress: (amount: string) => `Adding ${amount} now`,
    retrying: (time: string) => `Payment failed; trying again ${time}`,
  },
  balance: {
    title: 'Communications Credits balance',
    asOf: (time: string) => `As of ${time}`,
    lowBalanceAlert: 'Low-balance alert',
    lowBalanceAlertValue: (amount: string) => `Below ${amount}`,
    expiringTitle: 'Expiring soonest',
    lotExpires: (date: string) => `expires ${date}`,
    noLots: 'No funds to expire: add funds to start calling.',
    recentTitle: 'Money in and out',
    noRecent: 'No money in or out yet.',
    insightTitle: 'Forecast',
    runway: (days: string, untilTrigger: boolean) =>
      untilTrigger
        ? `At the last 30 days' pace, the balance reaches the auto-recharge trigger in about ${days} days.`
        : `At the last 30 days' pace, the balance lasts about ${days} more days.`,
    runwayNone: 'No usage in the last 30 days to forecast from.',
    /** The balance is at what the forecast counts down to already. */
    runwayReached: (untilTrigger: boolean): string =>
      untilTrigger ? 'The balance is already below the auto-recharge trigger.' : 'The balance is used up: add funds to keep calling.',
    lastSync: (time: string) => `Usage last synced ${time}.`,
  },
  /** The balance card of a tenant that never had funds: what the credits are for and how to start. */
  getStarted: {
    title: 'Get started with Communications Credits',
    intro:
      'Communications Credits are the prepaid balance that pays for calls Teams charges by the minute: toll-free dial-in, meeting dial-out, international and pay-per-minute calls. Those calls go through once funds are added.',
    stepsTitle: 'Three steps',
    choosePaymentMethod: 'Choose a payment method (the card that pays).',
    cardChosen: (card: string) => `Payment method: ${card}.`,
    addFunds: 'Add funds: nothing is charged until you confirm.',
    setUpAutoRecharge: 'Set up auto-recharge, so calling keeps working when the balance runs low.',
  },
  funds: {
    title: 'Add funds',
    intro: 'Choose an amount. Nothing is charged until you confirm on the next card. Funds expire 12 months after purchase.',
    currentBalance: 'Current balance',
    presets: 'Quick amounts',
    amountLabel: (currency: string) => `Amount (${currency})`,
    amountPlaceholder: (example: string) => `For example ${example}`,
    amountRequired: 'Enter an amount.',
    limits: (min: string, max: string) => `Between ${min} and ${max}.`,
    confirmTitle: 'Confirm adding funds',
    confirmIntro: 'The card on file is charged when you confirm.',
    amount: 'Amount',
    payWith: 'Pay with',
    balanceAfter: 'Balance after',
    fundsExpire: 'Funds expire',
    fundsExpireValue: '12 months after purchase',
    noCard: 'No card on file. Choose a payment method first, then add funds again.',
    cardExpired: 'The card on file has expired. Choose another payment method first.',
    receiptTitle: 'Funds added',
    amountAdded: 'Amount added',
    newBalance: 'New balance',
    expiresOn: 'Expires on',
    addedBy: 'Added by',
    alreadyAdded: 'These funds were already added by this operation; nothing was charged twice.',
    resumed: 'The balance is above zero again: calling with Communications Credits works again.',
    cancelledTitle: 'Cancelled',
    cancelledText: 'No funds were added and nothing was charged.',
    cancelledBy: (name: string) => `Cancelled by ${name}.`,
    failedTitle: 'Payment failed',
    failedNothingAdded: 'No funds were added.',
    chargingTitle: 'Payment under way',
    chargingText:
      'Confirm was already pressed and the card on file is being charged, so this can no longer be cancelled. The funds appear in the balance as soon as the payment goes through.',
  },
  payment: {
    title: 'Payment method',
    choose: 'Choose a payment method',
    current: 'Card on file',
    noCard: 'No card on file',
    cardValue: (brand: string, last4: string, expiry: string) => `${brand} •••• ${last4}, expires ${expiry}`,
    cardShort: (brand: string, last4: string) => `${brand} •••• ${last4}`,
    /** Suffixes written right after a card, space included where the language puts one. */
    expiredSuffix: ' (expired)',
    /** After a sandbox card, wherever one is shown: it moves no real money. */
    testCardSuffix: ' (test card)',
    sandboxTitle: 'Sandbox test cards',
    sandboxNote: 'This deployment uses the sandbox payment gateway: these test cards move no real money.',
    testCard: {
      'visa-success': 'Payments succeed.',
      'mastercard-decline': 'Payments are declined.',
      'visa-expired': 'Expired card: payments fail until you choose another card.',
    },
    inUse: 'In use',
    realGateway: "Cards are managed with your operator's payment provider.",
    security: 'For your security this bot never asks for a card number in chat. Never type card details into a chat.',
    changed: (card: string) => `Payment method changed to ${card}.`,
    rechargeWillBeDeclined:
      'Auto-recharge is on: this test card is always declined, so the next recharge will fail. Choose the paying test card to keep calling working.',
    rechargeWillWait: 'Auto-recharge is on: this card has expired, so no recharge will be tried until another card is chosen.',
  },
  autoRechargeCard: {
    title: 'Auto-recharge',
    intro: 'Auto-recharge charges the card on file and adds funds whenever the balance falls below the amount you set, so calling keeps working.',
    state: 'Now',
    enabled: 'On',
    enabledLabel: 'Auto-recharge',
    triggerLabel: (currency: string) => `When the balance is below (${currency})`,
    amountLabel: (currency: string) => `Add this amount (${currency})`,
    triggerLimit: 'Zero or more.',
    charges: 'Charges',
    noCard: 'There is no card on file, so auto-recharge cannot add funds until a payment method is chosen.',
    suggested: (amount: string) => `${amount} is the suggestion from the last 30 days of calls: about a month at this pace.`,
    pausedExplanation: (failures: number) =>
      `Auto-recharge paused itself after ${failures} failed payments in a row. Check the payment method, then turn it back on.`,
    waitingExplanation: 'The card on file has expired or is missing, so auto-recharge will not try again until the payment method changes.',
    retryingExplanation: (time: string) => `The last payment failed. Auto-recharge tries again ${time}.`,
    inProgressExplanation: 'A recharge is being charged right now; its result arrives as an alert.',
    alertsStillOn: 'Low-balance and below-zero alerts still arrive while auto-recharge is on.',
    saved: 'Saved.',
  },
  threshold: {
    title: 'Low-balance alert',
    intro: 'Admins get an alert when the balance falls below this amount, whether or not auto-recharge is on. Zero turns it into a below-zero alert only.',
    current: 'Alert below',
    label: (currency: string) => `Alert when the balance is below (${currency})`,
    saved: (amount: string) => `Low-balance alert set: you will be told when the balance falls below ${amount}.`,
  },
  history: {
    title: 'History',
    moneyTitle: 'Money in and out',
    subtitle: 'Every change to the balance, newest first; calls are summed per day.',
    moneySubtitle: 'Money in and out only (purchases, auto-recharges, grants and refunds, expired funds) and payments that failed, newest first.',
    /** Which journal entries the page covers, of how many. */
    span: (first: string, last: string, total: string) => `Entries ${first}–${last} of ${total}`,
    callsOnDay: (date: string, count: string, calls: number) => (calls === 1 ? `${date} · 1 call` : `${date} · ${count} calls`),
    settingPart: (part: string) => `${part}.`,
    recovered: 'Recorded at restart: the card was charged before the funds could be added.',
    csv: (minutes: string) => `Download CSV gets every entry for a spreadsheet. The link works for ${minutes} minutes, for anyone who has it.`,
    empty: 'No entries on this page.',
    emptyMoney: 'No money in or out on this page.',
    balanceAfter: (amount: string) => `Balance ${amount}`,
    by: (time: string, actor: string) => `${time} · ${actor}`,
  },
  exportHistory: {
    title: 'Export history',
    text: (time: string) =>
      `Download every entry of this account's history as a CSV file for a spreadsheet. The link works until ${time}; until then anyone who has it can download the file, so do not share it.`,
    summary: 'History as CSV: download link',
  },
  entryKind: {
    'account-opened': 'Account opened',
    'funds-added': 'Funds added',
    usage: 'Call usage',
    expired: 'Funds expired',
    'settings-changed': 'Settings changed',
    'payment-method-changed': 'Payment method changed',
    'auto-recharge-started': 'Auto-recharge started',
    'auto-recharge-failed': 'Auto-recharge failed',
    'expiry-reminder': 'Expiry reminder',
    'purchase-offered': 'Confirmation card shown',
    'purchase-charging': 'Confirmed, charging the card',
    'purchase-failed': 'Card payment failed',
    'purchase-cancelled': 'Addition cancelled',
    'auto-recharge-limited': 'Auto-recharge paused by the monthly cap',
    'daily-spend-exceeded': 'Daily spend above the alert amount',
  } satisfies Record<EntryKind, string>,
  autoRechargeAdded: 'Auto-recharge added funds',
  usage: {
    title: 'Usage',
    callType: 'Call type and destination',
    calls: 'Calls',
    minutes: 'Minutes',
    amount: 'Amount',
    total: 'Total',
    empty: 'No usage in this period.',
    runwayNone: 'No usage to forecast from.',
    dailyBurn: (amount: string) => `Average daily spend: ${amount}.`,
    suggested: (amount: string) => `Suggested recharge: ${amount}, about a month at this pace.`,
    callTypes: {
      user_out: 'Outgoing',
      user_in: 'Incoming',
      user_out_transfer: 'Transferred',
      user_out_forwarding: 'Forwarded',
      conf_out: 'Meeting dial-out',
      conf_in: 'Meeting dial-in',
      ucap_out: 'Auto attendant out',
      ucap_in: 'Auto attendant in',
      emergency: 'Emergency',
    } as Record<string, string>,
    domestic: 'Domestic',
    international: 'International',
    unknown: 'Other',
  },
  help: {
    title: 'What I can do',
    intro: 'Write to me in English or Chinese, or use the buttons. Money moves only after you confirm on a card.',
    /** What to write for each command the bot routes, and what it does: the help card lists the routed ones. */
    topics: {
      balance: [['balance', 'Balance, status, what expires next']],
      addFunds: [['add 50', 'Add funds (you confirm first)']],
      autoRecharge: [
        ['turn on auto-recharge', 'Recharge automatically when the balance is low'],
        ['auto-recharge below 20 add 100', 'Set when and how much auto-recharge adds'],
        ['turn off auto-recharge', 'Stop automatic recharges'],
      ],
      lowBalanceAlert: [['low balance alert 15', 'Alert admins when the balance falls below 15']],
      spendControls: [
        ['limit auto-recharge to $500 a month', 'Cap what auto-recharge may add each calendar month'],
        ['limit auto-recharge to 3 a month', 'Cap how many recharges a month'],
        ['remove the recharge limit', 'Lift the monthly caps'],
        ['alert me when more than $200 is spent in a day', "Alert admins when a day's calls cost more"],
      ],
      history: [['history', 'Every change to the balance, calls summed per day']],
      exportHistory: [['export history', 'Download the whole history as CSV (the link works for 15 minutes)']],
      usage: [['usage', 'Recent calls by type and destination']],
      paymentMethod: [['payment method', 'See or change the card on file']],
      alertsHere: [
        ['post alerts here', 'Also post billing alerts in this channel or group chat (every member sees them)'],
        ['stop alerts here', 'Stop posting billing alerts in this channel or group chat'],
      ],
      help: [['help', 'This list']],
    } satisfies Record<HelpTopic, Array<[string, string]>> as Record<HelpTopic, Array<[string, string]>>,
    admins: 'Global and Billing administrators can add funds and change settings; Teams administrators can view the balance.',
  },
  welcome: {
    title: 'Welcome to Communications Credits',
    greeting: (name: string) => `Hi ${name}!`,
    intro:
      "I look after your organization's Communications Credits: the prepaid balance that pays for PSTN calling (toll-free dial-in, meeting dial-out, international and pay-per-minute calls).",
    what: 'Ask me for the balance, add funds, set up auto-recharge, and I will alert you before calling stops.',
    tryHelp: 'Type help to see everything I understand.',
  },
  alerts: {
    balance: 'Balance',
    at: 'When',
    lowBalanceTitle: 'Low balance',
    lowBalance: (balance: string, threshold: string) => `The Communications Credits balance is ${balance}, below your alert threshold of ${threshold}.`,
    suspendedTitle: 'Calling suspended',
    suspended: (balance: string) => `The balance is ${balance}. Calling with Communications Credits is suspended until the balance is above zero.`,
    resumedTitle: 'Calling resumed',
    resumed: (balance: string) => `The balance is ${balance}, above zero again: calling with Communications Credits works again.`,
    rechargeSucceededTitle: 'Auto-recharge added funds',
    rechargeSucceeded: (amount: string, balance: string) => `${amount} was added automatically. The balance is now ${balance}.`,
    rechargeFailedTitle: 'Auto-recharge failed',
    rechargePausedTitle: 'Auto-recharge paused',
    failure: {
      declined: 'The card on file was declined.',
      'expired-card': 'The card on file has expired.',
      'no-payment-method': 'There is no payment method on file.',
      'gateway-error': "The payment service didn't answer.",
    } satisfies Record<RechargeFailureReason, string>,
    rechargePaused: (failures: number) =>
      `After ${failures} failed attempts in a row auto-recharge is paused. Update the payment method, then turn it back on.`,
    rechargeWaiting: 'Auto-recharge will not try again until the payment method changes.',
    rechargeRetry: (time: string) => `It will try again ${time}.`,
    expiringTitle: 'Funds expiring soon',
    expiring: (amount: string, days: number, date: string) =>
      `${amount} expires ${days === 1 ? 'in 1 day' : `in ${days} days`}, on ${date}. Funds not used within 12 months of purchase are forfeited.`,
    expiredTitle: 'Funds expired',
    expired: (amount: string) => `${amount} was not used within 12 months of purchase and has expired.`,
    unusualSpendTitle: 'Unusual spend',
    hourlySpike: (hour: string, spend: string, baseline: string) => `Calls in the hour from ${hour} cost ${spend}, far above the usual ${baseline} an hour.`,
    hourlySpikeUnknown: 'Call spend in the last hour is far above the usual.',
    /** A spike and what it was compared with: the week's hourly average and the spend that raises the alert. */
    hourlySpikeCompared: (hour: string, spend: string, baseline: string, threshold: string) =>
      `Calls in the hour from ${hour} cost ${spend}. The previous 7 days averaged ${baseline} an hour, and an hour above ${threshold} raises this alert.`,
    newDestination: (destination: string) => `Calls were made to ${destination}, a country this organization has not called before.`,
    /** Several new destinations: the first few as a list, and how many more when there are (both already formatted). */
    newDestinations: (names: string, more: string | null) =>
      more
        ? `Calls were made to ${names} and ${more} more destinations this organization has not called before.`
        : `Calls were made to ${names}, countries this organization has not called before.`,
    destinationListFull:
      'This organization has called more destinations than the bot keeps on record, so a destination not on the record counts as new each time.',
    newDestinationsQuiet: (time: string) => `New destinations will not raise another alert until ${time}: the usage card lists every call.`,
    fraudHint: 'If this is unexpected it can be an early sign of toll fraud: check recent usage.',
  },
  /** Calls to one destination: where a new-destination alert leads. */
  destinationCalls: {
    title: (destination: string) => `Calls to ${destination}`,
    total: (calls: string, minutes: string, amount: string) => `${calls} calls, ${minutes} minutes, ${amount} in this period.`,
    none: 'No calls to this destination in this period.',
    byCaller: 'Who called',
    callerTotal: (calls: string, minutes: string, amount: string) => `${calls} calls · ${minutes} min · ${amount}`,
    latest: 'Latest calls',
    call: (caller: string, minutes: string | null, amount: string) => (minutes === null ? `${caller} · ${amount}` : `${caller} · ${minutes} min · ${amount}`),
    unknownCaller: 'Caller not recorded',
    truncated: 'Only the most recent part of the history was searched; older calls in this period may be missing.',
    restrict:
      'Not expected? Restrict international calling in the Teams admin center: give the people who should not call abroad an outbound calling (dial-out) restriction that allows domestic calls only (Users > Manage users > the person > Policies), or set it for everyone in the global policy.',
  },
  errors: {
    title: "That didn't work",
    amountMissing: 'Enter an amount, for example 50.',
    notANumber: (input: string) => `“${input}” isn't an amount. Enter a number such as 50 or 50.00.`,
    tooManyDecimals: (currency: string, digits: number) =>
      digits === 0 ? `${currency} amounts have no decimal places.` : `${currency} amounts have at most ${digits} decimal places.`,
    tooManyDecimalsGeneric: 'That amount has too many decimal places.',
    negative: 'Enter a positive amount.',
    tooLarge: 'That number is too large.',
    amountTooSmall: (min: string) => `Enter at least ${min}.`,
    amountTooLarge: (max: string) => `Enter at most ${max}.`,
    balanceOutOfRange: (max: string) => `That would take the balance above ${max}, the most an account can hold.`,
    triggerNegative: 'The amount must be zero or more.',
    unknownCurrency: (currency: string) => `${currency} is not a currency I know.`,
    currencyMismatch: (expected: string, got: string) => `This account is in ${expected}, not ${got}. Enter the amount in ${expected}.`,
    noAccount: 'There is no Communications Credits account for your organization yet. Ask for the balance to open one.',
    keyReused: 'This card was already used for a different request. Please start again.',
    keyReusedWithOtherParameters: 'This request was already made with a different amount or currency. Please start again.',
    offerInvalidTitle: 'This card is no longer valid',
    offerInvalid: {
      unknown: 'I have no record of this confirmation for your organization, so nothing was charged. Start again with Add funds.',
      expired: 'This confirmation has expired, so nothing was charged. Start again with Add funds.',
      cancelled: 'This addition was cancelled, so nothing was charged. Start again with Add funds.',
      'not-yours': 'This confirmation was prepared for someone else: only they can confirm or cancel it. To add funds yourself, start again with Add funds.',
    } satisfies Record<OfferInvalidReason, string>,
    paymentTitle: 'Payment failed',
    payment: {
      declined: 'The card on file was declined. No money was taken. Choose another payment method and try again.',
      'expired-card': 'The card on file has expired. No money was taken. Choose another payment method and try again.',
      'no-payment-method': 'There is no payment method on file. Choose one, then try again.',
      'gateway-error': "The payment service didn't answer. No money was taken. Please try again in a few minutes.",
    } satisfies Record<RechargeFailureReason, string>,
    notAdminTitle: 'Not available',
    notAdmin:
      "Sorry, Communications Credits can only be viewed and managed by your organization's administrators. If you need something, please ask a Global or Billing administrator.",
    notManagerTitle: 'Administrators only',
    notManager: 'Sorry, only Global and Billing administrators can add funds or change these settings.',
    consentTitle: 'Permission needed',
    consent:
      "To read your organization's calling usage I need an administrator to grant this app access in Microsoft Entra ID. Nothing else changes until then.",
    unknownCommandTitle: "I didn't catch that",
    unknownCommand: (input: string) => `I didn't understand “${input}”. Type help to see what I can do.`,
    messageTooLongTitle: 'That message is too long',
    messageTooLong: (max: number) =>
      `I read requests of up to ${max} characters, such as “add 50” or “balance”. Nothing was changed. Type help to see what I can do.`,
    staleCardTitle: 'This card is out of date',
    staleCard: 'That button belongs to an older card. Here is what you can do now.',
    internalTitle: 'Something went wrong',
    internal: 'Something went wrong on our side. Please try again in a moment.',
    reference: (id: string) => `Reference: ${id}`,
  },
  /** Notice emails (auto-recharge succeeded or failed, balance below zero). */
  email: {
    subject: (title: string) => `Communications Credits: ${title}`,
    greeting: (name: string) => `Hello ${name},`,
    greetingNoName: 'Hello,',
    openTeams: 'Open Communications Credits in Microsoft Teams to see the balance, add funds or change auto-recharge (type "balance").',
    why: 'You receive this notice because you manage Communications Credits for your organization.',
  },
  /** Billing alerts in a team channel or group chat ("post alerts here", "stop alerts here"). */
  alertsHere: {
    offerTitle: 'Post billing alerts here?',
    everyoneInChannel: 'Every member of this channel will see the balance and every billing alert posted here.',
    everyoneInGroupChat: 'Every member of this group chat will see the balance and every billing alert posted here.',
    whatIsPosted:
      'Alerts say when the balance is low or below zero, when calling is suspended, how auto-recharge went, when funds are about to expire and when spend looks unusual.',
    adminsKeepTheirs: 'Admins keep getting alerts in their personal chats. Write "stop alerts here" to stop posting them here.',
    confirm: 'Post alerts here',
    subscribedTitle: 'Alerts are posted here',
    subscribed: (name: string, time: string) =>
      `Billing alerts are posted in this conversation, as ${name} asked on ${time}; every member sees them. Write "stop alerts here" to stop.`,
    unsubscribedTitle: 'No more alerts here',
    unsubscribed: 'Billing alerts are no longer posted in this conversation. Admins still get them in their personal chats.',
    notSubscribedTitle: 'No alerts are posted here',
    notSubscribed: 'Billing alerts go to admins\' personal chats, not to this conversation. Write "post alerts here" to post them here too.',
    someone: 'an admin',
    personalTitle: 'Alerts come to this chat',
    personal:
      'Admins always get billing alerts in their personal chat with me, so there is nothing to change here. "post alerts here" and "stop alerts here" are for a team channel or group chat.',
  },
  // Charts and per-user insight (issue 11, "insight").
  insight: {
    perDayTitle: 'Spend per day, last 30 days',
    dayAxis: 'Day',
    perDayFallback: (day: string, amount: string, average: string) => `Busiest day: ${day}, ${amount}. Average: ${average} a day.`,
    perDayNone: 'No spend in the last 30 days.',
    splitTitle: 'Spend by destination',
    other: 'Other',
    topSpendersTitle: 'Top spenders this month',
    topSpendersNone: 'No calls this month yet.',
    unknownUser: 'Unknown user',
    calls: (count: string) => (count === '1' ? '1 call' : `${count} calls`),
    partial: 'Counted from the most recent calls only: this month has more than one card can read.',
    runwayTitle: 'Projected balance',
    projectedBalance: 'Balance',
    triggerLine: 'Auto-recharge trigger',
    runwayFallback: (floor: string, date: string, untilTrigger: boolean) =>
      untilTrigger
        ? `At this pace the balance reaches the auto-recharge trigger (${floor}) around ${date}.`
        : `At this pace the balance reaches ${floor} around ${date}.`,
    runwayBeyond: (days: string) => `At this pace the balance lasts beyond the next ${days} days.`,
  },
  /** Spend controls (issue 11): monthly auto-recharge caps and the daily spend alert. */
  spendControls: {
    title: 'Spend controls',
    intro:
      "Cap what auto-recharge may take from the card each calendar month, and get an alert when a day's calls cost more than you expect. Leave a field empty for no cap.",
    monthlyMaxLabel: (currency: string) => `Auto-recharge at most this much a month (${currency})`,
    monthlyMaxLimit: (amount: string) => `At least one recharge (${amount}). Empty: no cap.`,
    monthlyCountLabel: 'Auto-recharge at most this many times a month',
    monthlyCountLimit: (max: number) => `A whole number from 1 to ${max}. Empty: no cap.`,
    dailyAlertLabel: (currency: string) => `Alert when a day's spend is more than (${currency})`,
    dailyAlertLimit: 'More than zero. Empty: no alert.',
    monthlyCap: 'Monthly cap',
    dailyAlert: 'Daily alert',
    none: 'None',
    capValue: (amount: string | null, count: string | null) =>
      amount && count ? `${amount} or ${count} recharges, whichever comes first` : amount ? amount : count ? `${count} recharges` : 'None',
    dailyValue: (amount: string) => `More than ${amount} a day`,
    thisMonth: 'This month',
    thisMonthValue: (amount: string, count: number) => (count === 1 ? `${amount} in 1 recharge` : `${amount} in ${count} recharges`),
    zone: (zone: string) => `Months and days count in ${zone}.`,
    limitedUntil: (time: string) => `Paused by the monthly cap until ${time}`,
    limitedExplanation: (time: string) =>
      'Auto-recharge reached its monthly cap and is paused until ' +
      `${time}. To resume it now, raise or remove the cap below (or write "remove the recharge limit"); adding funds by hand works as always.`,
    saved: 'Spend controls saved.',
    limitBelowRecharge: (limit: string, amount: string) =>
      `A monthly cap of ${limit} is less than one recharge of ${amount}, so auto-recharge could never run. Raise the cap or lower the recharge amount.`,
    countInvalid: (input: string, max: number) => `"${input}" is not a number of recharges: write a whole number from 1 to ${max}.`,
    limitedTitle: 'Auto-recharge paused for the month',
    limitedCount: (count: number, time: string) =>
      `Auto-recharge has made ${count === 1 ? '1 recharge' : `${count} recharges`} this month, as many as your monthly cap allows, so it is paused until ${time}.`,
    limitedAmount: (added: string, cap: string, time: string) =>
      `Auto-recharge has added ${added} this month and one more recharge would pass your monthly cap of ${cap}, so it is paused until ${time}.`,
    howToLift:
      'Calling stops when the balance reaches zero. To lift the pause, raise or remove the cap on the auto-recharge card, or write "remove the recharge limit"; or add funds by hand.',
    dailyTitle: 'Daily spend above your alert',
    daily: (day: string, spent: string, ceiling: string) => `Calls on ${day} cost ${spent}, more than the ${ceiling} a day you asked to hear about.`,
    dailyHint: 'If this is unexpected it can be toll fraud: check usage. The amount is on the auto-recharge card.',
    summaryLimited: (time: string) => `paused until ${time}`,
    summaryDaily: (spent: string) => `${spent} spent in a day`,
    unreadable:
      'Say a monthly cap as an amount ("limit auto-recharge to $500 a month") or a number of recharges ("limit auto-recharge to 3 a month"), and a daily alert as an amount ("alert me when more than $200 is spent in a day").',
  },
};

export type Strings = typeof en;
