import type { AccessPolicy } from '../../services/access.js';
import type { Duties } from '../../services/duties.js';
import { MailQueue, type MailQueueStore } from '../../services/mailQueue.js';
import type { Clock } from '../../services/ports.js';
import { isTenantGuid } from '../../services/tenantId.js';
import { UsageSync, type UsageIngestion } from '../../services/usageSync.js';
import type { UsageSyncRecords } from '../../services/usageSyncState.js';
import type { AdminDirectory } from '../alerts/adminDirectory.js';
import type { ReportingAlertSink } from '../alerts/alertDispatcher.js';
import type { DeliveryRecord } from '../../services/alertDeliveries.js';
import type { Config } from '../config.js';
import type { Mailbox } from '../notices/mailer.js';
import type { AccountSyncExtras } from '../operatorApi/responseSchemas.js';
import { DirectoryEmailAlertSink } from './directoryEmailAlertSink.js';
import { DirectoryAccessPolicy } from './directoryAccessPolicy.js';
import { GraphDirectoryRoles } from './graphDirectoryRoles.js';
import { GraphMailer } from './graphMailer.js';
import { GraphMailSender } from './graphMailSender.js';
import { GraphPstnCallLog } from './graphPstnCallLog.js';
import { GraphRoleHolders } from './graphRoleHolders.js';
import { graphSettings } from './graphSettings.js';
import { TenantGraphClients } from './tenantGraphClients.js';
import type { Log } from '../log.js';

const MAIL_POLL_MS = 30_000;

export interface GraphConnectionDeps {
  ledger: UsageIngestion;
  /** The tenants the ledger knows (every tenant met in Teams has an account from its first contact). */
  ledgerTenants: () => Promise<string[]>;
  clock: Clock;
  usageWindowDays: number;
  /** Where each tenant's usage sync stands (beside the ledger). */
  syncRecords: UsageSyncRecords;
  /** Where notice mail waits for sendMail (beside the ledger). */
  mailQueue: MailQueueStore;
  /** Each tenant's usage sync runs on one instance at a time, once per GRAPH_SYNC_MINUTES across instances. */
  duties: Duties;
  /** The app's log: Graph's lines carry `component: 'graph'`. */
  log: Log;
}

/**
 * Everything the bot does through Microsoft Graph, built from the configuration: the scheduled
 * usage sync, directory roles, the admins' mailboxes and the queue of notice mail sent through
 * sendMail. Null when Graph is not configured (no AZURE_CLIENT_ID).
 */
export class GraphConnection {
  private syncTimer: NodeJS.Timeout | undefined;
  private mailTimer: NodeJS.Timeout | undefined;

  private constructor(
    readonly clients: TenantGraphClients,
    readonly usageSync: UsageSync,
    readonly roleHolders: GraphRoleHolders,
    /** Null without GRAPH_MAIL_SENDER: notices stay in the `.eml` outbox. */
    readonly mailQueue: MailQueue | null,
    private readonly syncEveryMs: number,
    private readonly clock: Clock,
    private readonly log: (message: string) => void,
    private readonly events: Log,
  ) {}

  static async open(config: Config, deps: GraphConnectionDeps): Promise<GraphConnection | null> {
    const settings = graphSettings(config.graph);
    if (!settings) return null;
    const events = deps.log.child({ component: 'graph' });
    const log = (message: string) => events.warn(message);
    const clients = new TenantGraphClients(settings);
    const usageSync = new UsageSync({
      ledger: deps.ledger,
      callLog: new GraphPstnCallLog(clients),
      state: deps.syncRecords,
      clock: deps.clock,
      usageWindowDays: deps.usageWindowDays,
      // Ledger tenants that are not GUIDs (`local`, test names) have no directory to sync from.
      tenants: async () => new Set([...(await deps.ledgerTenants()).filter(isTenantGuid), ...config.graph.tenantIds]),
      syncEveryMs: config.graph.syncMinutes * 60_000,
      duties: deps.duties,
      log,
    });
    const mailQueue =
      settings.mailSender && settings.homeTenantId
        ? new MailQueue(deps.mailQueue, new GraphMailSender(clients, settings.homeTenantId, settings.mailSender), deps.clock, log)
        : null;
    return new GraphConnection(clients, usageSync, new GraphRoleHolders(clients), mailQueue, config.graph.syncMinutes * 60_000, deps.clock, log, events);
  }

  /** Roles from the directory, after the allow-list: replaces local mode whenever Graph is configured. */
  accessPolicy(allowList: AccessPolicy): AccessPolicy {
    return new DirectoryAccessPolicy(allowList, new GraphDirectoryRoles(this.clients), this.clock);
  }

  /**
   * The notice emails through sendMail, to the admins in each tenant's directory; null without
   * GRAPH_MAIL_SENDER, when the `.eml` outbox stays the transport.
   */
  emailSink(deps: { admins: Pick<AdminDirectory, 'people'>; from: Mailbox; log: DeliveryRecord }): ReportingAlertSink | null {
    if (!this.mailQueue) return null;
    return new DirectoryEmailAlertSink({ ...deps, directory: this.roleHolders, mailer: new GraphMailer(this.mailQueue, this.log), clock: this.clock });
  }

  /** The operator API's account view: when usage was last synced, and why not if it failed. */
  async accountExtras(tenantId: string): Promise<AccountSyncExtras> {
    const { lastSyncAt, ...usageSync } = await this.usageSync.status(tenantId);
    return { lastSyncAt, usageSync };
  }

  /** Syncs now (in the background) and every GRAPH_SYNC_MINUTES; sends queued mail every half minute. */
  start(): void {
    const syncAll = () => void this.usageSync.syncAll().catch((error: unknown) => this.events.error({ err: error }, 'usage sync failed'));
    const deliverMail = () => void this.mailQueue?.deliverDue().catch((error: unknown) => this.events.error({ err: error }, 'notice mail queue failed'));
    this.syncTimer = setInterval(syncAll, this.syncEveryMs);
    this.mailTimer = setInterval(deliverMail, MAIL_POLL_MS);
    this.syncTimer.unref();
    this.mailTimer.unref();
    syncAll();
    deliverMail();
  }

  /** Stops the timers, cancels Graph calls and their back-offs, and waits for the sync or mail pass under way to record that, so nothing writes after the store closes. */
  async stop(): Promise<void> {
    clearInterval(this.syncTimer);
    clearInterval(this.mailTimer);
    this.clients.stop();
    await Promise.allSettled([this.usageSync.idle(), this.mailQueue?.idle()]);
  }
}
