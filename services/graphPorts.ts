import type { Result } from './result.js';

/**
 * What the services ask of Microsoft Graph. The adapters in `bot/graph/` implement these with the
 * Graph SDK; every call is made with an app-only token for the tenant named, and transient
 * failures (429, 5xx, network) are retried there before a problem is reported here.
 */

/** Why Graph could not answer for a tenant. */
export type GraphProblem =
  /** The tenant has not granted the app its permissions (or removed it): an admin must consent. */
  | { kind: 'no-consent'; message: string; consentUrl: string }
  /** Graph or the token service failed, or kept failing after retries. */
  | { kind: 'unavailable'; message: string };

/** Milliseconds since the epoch; `from` inclusive, `to` exclusive. */
export interface TimeWindow {
  from: number;
  to: number;
}

/** A tenant's PSTN call log (`communications/callRecords/getPstnCalls`). */
export interface PstnCallLog {
  /**
   * Reads the rows of calls in `window`, one page at a time, awaiting `onRows` for each page before
   * the next is read. Resolves once every page was read and handled, or with the problem that
   * stopped it; an error thrown by `onRows` rejects as is.
   */
  read(tenantId: string, window: TimeWindow, onRows: (rows: unknown[]) => Promise<void>): Promise<Result<void, GraphProblem>>;
}

/** The directory roles a user holds, as role template ids. */
export interface DirectoryRoleReader {
  /**
   * The user's roles from every source asked. `incomplete` names the problem when a source could
   * not be asked but another answered; an error means no source answered.
   */
  rolesOf(tenantId: string, userObjectId: string): Promise<Result<{ roleTemplateIds: string[]; incomplete: GraphProblem | null }, GraphProblem>>;
}

/** Someone with a mailbox in a tenant's directory. */
export interface DirectoryMailbox {
  userObjectId: string;
  displayName: string | null;
  address: string;
  /** The user's preferred language (BCP 47, e.g. "zh-CN"), when set. */
  preferredLanguage: string | null;
}

/** The users of a tenant who hold any of some directory roles. */
export interface RoleHolderDirectory {
  mailboxesInRoles(tenantId: string, roleTemplateIds: readonly string[]): Promise<Result<DirectoryMailbox[], GraphProblem>>;
}

export interface MailMessage {
  to: readonly string[];
  subject: string;
  text: string;
  /** The same content as HTML, sent instead of the text when present (as mail clients show it). */
  html: string | null;
}

/** Sends mail from the operator's mailbox (`users/{sender}/sendMail`). */
export interface MailSender {
  send(message: MailMessage): Promise<Result<void, GraphProblem>>;
}
