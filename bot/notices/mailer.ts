/** A mailbox: an address (null when the bot does not know it) and a display name. */
export interface Mailbox {
  address: string | null;
  name: string | null;
}

/** One notice email to one person, in their language. */
export interface OutgoingMail {
  /** Stable per alert and recipient: the Message-ID, the outbox file name, an idempotency key. */
  id: string;
  /** The tenant whose notice it is. */
  tenantId: string;
  from: Mailbox;
  to: Mailbox;
  /** BCP 47 tag of the language the mail is written in ("en", "zh-CN"). */
  language: string;
  subject: string;
  text: string;
  html: string;
  date: Date;
}

/**
 * Where notice emails go. The default writes `.eml` files to the outbox folder; the Graph
 * sendMail transport replaces it when Graph is configured. Sending the same `id` twice must not
 * send two emails. Rejects when the mail could not be taken; the caller tries again.
 */
export interface Mailer {
  send(mail: OutgoingMail): Promise<void>;
}
