import type { MailQueue } from '../../services/mailQueue.js';
import type { Mailer, OutgoingMail } from '../notices/mailer.js';

/**
 * The notice transport when Graph sends mail: a notice is taken once it is durably queued, and the
 * queue sends it through sendMail, trying again with back-off until Graph accepts it (202).
 */
export class GraphMailer implements Mailer {
  constructor(
    private readonly queue: MailQueue,
    private readonly log: (message: string) => void,
  ) {}

  async send(mail: OutgoingMail): Promise<void> {
    if (!mail.to.address) throw new Error(`notice ${mail.id} has no address to send to through Graph`);
    await this.queue.enqueue(mail.tenantId, mail.id, { to: [mail.to.address], subject: mail.subject, text: mail.text, html: mail.html });
    void this.queue.deliverDue().catch((error) => this.log(`notice mail queue failed: ${error instanceof Error ? error.message : String(error)}`));
  }
}
