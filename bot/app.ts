import { randomUUID } from 'node:crypto';
import path from 'node:path';
import type { Server } from 'restify';
import { displayNamesOf, type ConversationBook } from '../data/conversationReferences.js';
import { openBotState } from '../data/openBotState.js';
import { openCoordination } from '../data/openCoordination.js';
import { openLedgerStore } from '../data/openLedgerStore.js';
import { loadRateTable } from '../data/rates/loadRateTable.js';
import type { AccessPolicy } from '../services/access.js';
import { LedgerService } from '../services/ledgerService.js';
import { SandboxGateway, type TestCardId } from '../services/payments/sandboxGateway.js';
import { StoreUnavailableError, systemClock, type Clock, type LedgerStore, type PaymentGateway } from '../services/ports.js';
import { pricer } from '../services/rates.js';
import { AllowListAccessPolicy } from './access/allowListAccessPolicy.js';
import { AdminDirectory } from './alerts/adminDirectory.js';
import { AlertDispatcher } from './alerts/alertDispatcher.js';
import { EmailAlertSink } from './alerts/emailAlertSink.js';
import { TeamsAlertSink } from './alerts/teamsAlertSink.js';
import { sendWeeklyReportNow, weeklyReportContext } from './alerts/weeklyReports.js';
import type { Config } from './config.js';
import { LazyAdapter } from './endpoint/lazyAdapter.js';
import { registerMessagesEndpoint } from './endpoint/messagesEndpoint.js';
import { RequestsInFlight } from './http/requestTracking.js';
import { StartUp } from './http/startUp.js';
import { createLog, type Log } from './log.js';
import type { GraphConnection } from './graph/graphConnection.js';
import { openGraph } from './graph/openGraph.js';
import type { Mailer } from './notices/mailer.js';
import { parseMailbox } from './notices/mimeMessage.js';
import { OutboxMailer } from './notices/outboxMailer.js';
import { registerOperatorApi } from './operatorApi/routes.js';
import { EXPORT_LINK_MINUTES, exportBaseUrl, exportLinkSecret, journalExportUrl, signExportToken } from './exports/exportLink.js';
import { registerExportRoutes } from './exports/exportRoutes.js';
import { createServer, listen } from './server.js';
import { LazyBot } from './teams/lazyBot.js';

export interface App {
  server: Server;
  /** Where the edge logs (the process's pino logger). */
  log: Log;
  ledger: LedgerService;
  store: LedgerStore;
  /** Which store holds the ledger (the folder, or the database without its password), for the start-up log. */
  storeDescription: string;
  gateway: PaymentGateway;
  /** The sandbox gateway when it is the one in use (PAYMENT_GATEWAY=sandbox, the default). */
  sandbox: SandboxGateway | null;
  /** botbuilder's adapter, loaded at the first activity or proactive send. */
  adapter: LazyAdapter;
  conversations: ConversationBook;
  alerts: AlertDispatcher;
  /** Microsoft Graph (usage sync, directory roles, sendMail); null when not configured. */
  graph: GraphConnection | null;
  /** The port it listens on (after `start`). */
  port: number;
  start(): Promise<number>;
  /**
   * Stops accepting connections, waits for the requests and bot turns under way and then for the
   * ledger's commits, cancels background retries, and closes the store (its final checkpoint).
   */
  close(): Promise<void>;
  /** What `close` is still waiting for, named for the log when a shutdown runs out of time. */
  stillRunning(): string[];
}

export interface AppOptions {
  clock?: Clock;
  /** Who may do what; default: the allow-list, or everyone locally (the Graph policy plugs in here). */
  access?: AccessPolicy;
  /** Where notice emails go; default: `.eml` files in `DATA_DIR/outbox` (Graph sendMail plugs in here). */
  mailer?: Mailer;
  /** Back-off of proactive sends after a 5xx or network error (tests shorten it). */
  delivery?: { baseDelayMs: number; maxDelayMs: number };
  /** Where the edge logs; default: JSON lines on stdout at `LOG_LEVEL` (tests capture them). */
  log?: Log;
  /** The sandbox's card on file for a tenant whose admins never chose one; default none (tests about other things start with the paying one). */
  sandboxCardForNewTenants?: TestCardId | null;
  /**
   * A server already listening, answering health checks and `starting` while the app opens its
   * store and loads (`npm start`: see `StartUp`); default: one made here, listening at `start`.
   */
  listening?: Listening;
}

/** A server listening before the app exists, with what `StartUp` lets it answer meanwhile. */
export interface Listening {
  server: Server;
  inFlight: RequestsInFlight;
  startUp: StartUp;
  port: number;
}

/** How often the weekly reports' due times are checked: a report goes out at most this late. */
const REPORT_CHECK_MINUTES = 5;

/** The composition root: builds every part from the configuration and wires them together. */
export async function createApp(config: Config, options: AppOptions = {}): Promise<App> {
  const clock = options.clock ?? systemClock;
  const file = (name: string) => path.join(config.dataDir, name);

  const log = options.log ?? createLog(config.log);
  const { listening } = options;
  const inFlight = listening?.inFlight ?? new RequestsInFlight(log);
  const server = listening?.server ?? createServer(log, inFlight);
  const startUp = listening?.startUp ?? new StartUp();
  if (!listening) startUp.register(server);
  // The ledger and where money comes from.
  const { store, description: storeDescription } = await openLedgerStore(config, log);
  startUp.storeOpened(store, 'preparing the routes and resuming what the last stop left under way');
  // What the bot keeps beside the ledger (conversations, sandbox, mail queue, sync watermarks), in the same place.
  const state = await openBotState(config);
  // Alert claims and duty locks: what keeps several instances on one database from doing a thing twice.
  const coordination = await openCoordination(config, store, { clock, alertLeaseMs: config.alertLeaseMs });
  const { duties } = coordination;
  // Stripe (and its library) only when chosen; else the sandbox's test cards.
  const stripe =
    config.payments.gateway === 'stripe' ? (await import('./payments/openStripe.js')).openStripe(config.payments, { ledger: () => ledger, clock, log }) : null;
  const sandbox = stripe
    ? null
    : new SandboxGateway(state.sandbox, clock, {
        cardForNewTenants: options.sandboxCardForNewTenants ?? null,
      });
  const gateway: PaymentGateway = stripe?.gateway ?? sandbox!;
  const ledger: LedgerService = new LedgerService({
    store,
    gateway,
    refunds: stripe?.gateway ?? null,
    clock,
    price: pricer(await loadRateTable(config.ratesFile)),
    policy: { defaultCurrency: config.defaultCurrency, ...config.ledger },
    duties,
    log,
  });

  // Microsoft Graph, when configured: usage sync, roles from the directory, notices through sendMail.
  const graph = await openGraph(config, {
    ledger,
    ledgerTenants: () => store.tenantIds(),
    clock,
    usageWindowDays: config.ledger.usageWindowDays,
    syncRecords: state.usageSync,
    mailQueue: state.mailQueue,
    duties,
    log,
  });

  // Who may do what, and the people and conversations the bot has met.
  const access = options.access ?? graph?.accessPolicy(new AllowListAccessPolicy(config.adminUserIds, false)) ?? AllowListAccessPolicy.fromConfig(config);
  const conversations = state.conversations;
  const admins = new AdminDirectory(conversations, access);
  const reportContext = weeklyReportContext(conversations);

  // The endpoints: health (with the server), operator API and Bot Framework messages on one server.
  stripe?.registerRoutes(server);
  registerOperatorApi(server, {
    ledger,
    apiKey: config.operatorApiKey,
    log,
    sendReport: (tenantId) => sendWeeklyReportNow({ ledger, sinks: reportSinks, deliveries, context: reportContext, log }, tenantId),
    ...(graph && { syncUsage: (tenantId: string) => graph.usageSync.syncTenant(tenantId), accountExtras: (tenantId: string) => graph.accountExtras(tenantId) }),
  });
  // Admins' CSV downloads: links the bot signs in chat and serves here.
  const exportSecret = exportLinkSecret(config.exportLinkSecret, config.bot.appPassword);
  registerExportRoutes(server, { ledger, secret: exportSecret, clock, log });
  const journalCsvLink = (tenantId: string, actor: string) => {
    const expiresAt = clock.now() + EXPORT_LINK_MINUTES * 60_000;
    const token = signExportToken(exportSecret, { tenantId, actor, expiresAt });
    return {
      url: journalExportUrl(exportBaseUrl(config.teamsApp.botDomain, app.port), token),
      expiresAt: new Date(expiresAt).toISOString(),
      minutes: EXPORT_LINK_MINUTES,
    };
  };
  // The Bot Framework side (botbuilder: about 0.4 s and 35 MB) loads at the first activity.
  const adapter = new LazyAdapter(config, log);
  const bot = new LazyBot(
    ({ CreditsBot, ConversationTracker }) =>
      new CreditsBot({
        handlers: {
          ledger,
          gateway,
          sandbox,
          cardSetupUrl: stripe ? (tenantId, language) => stripe.gateway.cardSetupUrl(tenantId, language) : null,
          clock,
          displayNames: (tenantId) => displayNamesOf(conversations, tenantId),
          newOperationId: () => randomUUID(),
          usageSyncedAt: async (tenantId) => (graph ? (await graph.usageSync.status(tenantId)).lastSyncAt : null),
          alertSubscriptions: conversations,
          journalCsvLink,
          viewerUserIds: async (tenantId) => (await admins.people(tenantId)).map((person) => person.userId),
        },
        access,
        tracker: new ConversationTracker(conversations, clock, log),
        tenants: { defaultTenantId: config.defaultTenantId, localMode: !config.bot.authenticated },
      }),
  );
  registerMessagesEndpoint(server, { adapter, logic: (context) => bot.run(context), appId: config.bot.appId, authenticated: config.bot.authenticated, log });

  // Alerts: a card in every admin conversation, and the three notice emails; acknowledged once both took them.
  const { deliveries } = coordination;
  const from = parseMailbox(config.mailFrom);
  const graphEmail = options.mailer ? null : (graph?.emailSink({ admins, from, log: deliveries }) ?? null);
  const reportSinks = [
    new TeamsAlertSink({
      adapter,
      appId: config.bot.appId,
      book: conversations,
      admins,
      log: deliveries,
      logger: log,
      retry: options.delivery ?? { baseDelayMs: 2_000, maxDelayMs: 300_000 },
    }),
    graphEmail ??
      new EmailAlertSink({ mailer: options.mailer ?? new OutboxMailer(file('outbox'), from.address?.split('@')[1]), from, admins, log: deliveries, clock }),
  ];
  const alerts = new AlertDispatcher(store, deliveries, reportSinks, { log });
  // Weekly reports: raised by the ledger once per tenant and week when due, delivered as alerts.
  let reportsRunning: Promise<void> | null = null;
  const raiseDueReports = () => {
    // One check at a time; close waits for the one under way.
    reportsRunning ??= ledger
      .raiseDueWeeklyReports(reportContext)
      .then(
        () => undefined,
        (error: unknown) => log.error({ err: error }, 'weekly reports could not be raised'),
      )
      .finally(() => {
        reportsRunning = null;
      });
  };

  /**
   * Charges and refunds the gateway made that a crash kept from the ledger, added now. A gateway
   * that does not answer (Stripe unreachable) does not stop the start: the sweep tries again until
   * it has been done once.
   */
  // One instance at a time looks.
  const reconcile = async (): Promise<boolean> => {
    try {
      const { recovered, refunded } = await duties.run('reconcile-purchases', async () => ({
        recovered: await ledger.reconcilePurchases(),
        refunded: await ledger.reconcileRefunds(),
      }));
      if (recovered > 0) log.warn({ recovered }, `Added ${recovered} purchase(s) charged before the last stop but not yet in the ledger.`);
      if (refunded > 0) log.warn({ refunded }, `Journaled ${refunded} refund(s) made before the last stop but not yet in the ledger.`);
      return true;
    } catch (error) {
      // Only Stripe's answer can be missing; anything else (the store, the sandbox's file) stops the start as before.
      if (error instanceof StoreUnavailableError || !stripe) throw error;
      log.error({ err: error }, 'the payment gateway could not be reconciled with the ledger; the next sweep tries again');
      return false;
    }
  };

  let sweepTimer: NodeJS.Timeout | undefined;
  let reportTimer: NodeJS.Timeout | undefined;
  let closing = 'not closing';
  const app: App = {
    server,
    log,
    ledger,
    store,
    storeDescription,
    gateway,
    sandbox,
    adapter,
    conversations,
    alerts,
    graph,
    port: 0,
    async start() {
      // A crash may have left a recharge in flight, or a charged purchase without its lot (one instance at a time looks).
      await ledger.resumeRecharges();
      let reconciled = await reconcile();
      app.port = listening?.port ?? (await listen(server, config.port, config.host));
      startUp.done();
      // Alerts left pending by a crash or restart are delivered now.
      await alerts.start();
      // One instance sweeps each period (and retries a reconciliation Stripe did not answer); another takes the next period's if it died.
      const sweepMs = config.sweepMinutes * 60_000;
      const sweep = async () => {
        await duties.runIfDue('sweep', sweepMs, () => ledger.sweep());
        if (!reconciled) reconciled = await reconcile();
      };
      sweepTimer = setInterval(() => void sweep().catch((error: unknown) => log.error({ err: error }, 'sweep failed')), sweepMs);
      sweepTimer.unref();
      raiseDueReports();
      reportTimer = setInterval(raiseDueReports, REPORT_CHECK_MINUTES * 60_000);
      reportTimer.unref();
      graph?.start();
      return app.port;
    },
    async close() {
      clearInterval(sweepTimer);
      clearInterval(reportTimer);
      closing = 'HTTP requests and bot turns';
      inFlight.closeConnectionsAfterAnswers();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      closing = 'Graph usage sync and notice mail';
      await graph?.stop();
      closing = 'weekly reports';
      await reportsRunning;
      closing = 'auto-recharges';
      await ledger.idle();
      closing = 'alert deliveries';
      await alerts.close();
      closing = 'duties and their locks';
      await coordination.close();
      closing = "the store's final checkpoint";
      await store.close();
      await state.close();
      closing = 'closed';
    },
    stillRunning() {
      return inFlight.size > 0 ? inFlight.describe() : [closing];
    },
  };
  return app;
}
