import type { LedgerService } from '../../services/ledgerService.js';
import type { SandboxGateway } from '../../services/payments/sandboxGateway.js';
import type { Clock, PaymentGateway } from '../../services/ports.js';
import type { AdaptiveCard, CsvLinkViewModel } from '../../cards/index.js';
import type { ConversationBook, KnownConversation } from '../../data/conversationReferences.js';

/** Who is asking, and where, from the activity (never from card data). */
export interface Turn {
  tenantId: string;
  /** The chat, channel or group chat the activity came from. */
  conversation: Pick<KnownConversation, 'id' | 'scope'>;
  user: { id: string; aadObjectId: string | null; name: string | null };
  /** The Teams client locale, which decides the reply language. */
  locale: string | null;
  /** The person's time zone (IANA): the client's, else the one last seen from them; null: UTC. */
  timeZone: string | null;
}

/** What the handlers use: the ledger, the payment gateway, the conversations' alert subscriptions, and nothing of Teams. */
export interface HandlerDeps {
  ledger: LedgerService;
  gateway: PaymentGateway;
  /** The sandbox gateway when it is the one in use (its test cards can be chosen in chat). */
  sandbox: SandboxGateway | null;
  clock: Clock;
  /** The display names of the tenant's journal actors (user ids) the bot knows, read once per card. */
  displayNames(tenantId: string): Promise<(actor: string) => string | null>;
  /** A fresh operation id for a confirmation card: the id of the offer the ledger records for it. */
  newOperationId(): string;
  /** When usage was last synced from Microsoft Graph for the tenant; null without Graph or before the first sync. */
  usageSyncedAt(tenantId: string): Promise<string | null>;
  /** A signed link to the tenant's journal as CSV, made for the person asking (bot/exports/exportLink.ts), and when it expires. */
  journalCsvLink(tenantId: string, actor: string): CsvLinkViewModel;
  /** The Teams user ids of the people the bot knows may view the tenant's balance: whose balance cards refresh themselves. */
  viewerUserIds(tenantId: string): Promise<string[]>;
  /** Which shared conversations get the tenant's alerts ("post alerts here", "stop alerts here"). */
  alertSubscriptions: Pick<ConversationBook, 'conversation' | 'person' | 'subscribeToAlerts' | 'unsubscribeFromAlerts'>;
}

/**
 * A handler's answer. `card` is the outcome: sent for a message, and it replaces the card whose
 * button was pressed. `refusal` leaves that card alone (another admin may still use it) and tells
 * only the person who asked. `summary` is the one line Teams shows for the card in the chat list
 * and the notification, in the asker's language.
 */
export type Reply = { kind: 'card'; card: AdaptiveCard; summary: string } | { kind: 'refusal'; card: AdaptiveCard; summary: string; text: string };

export const cardReply = (card: AdaptiveCard, summary: string): Reply => ({ kind: 'card', card, summary });

/** The ledger actor for the person: their Entra object id, or their Teams id. */
export const actorOf = (turn: Turn): string => turn.user.aadObjectId ?? turn.user.id;
