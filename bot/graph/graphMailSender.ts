import type { GraphProblem, MailMessage, MailSender } from '../../services/graphPorts.js';
import { err, ok, type Result } from '../../services/result.js';
import type { TenantGraphClients } from './tenantGraphClients.js';

/**
 * Sends mail as the operator's mailbox (`POST /users/{sender}/sendMail`, `Mail.Send` in the home
 * tenant). Graph answers 202 once it has accepted the message for delivery.
 */
export class GraphMailSender implements MailSender {
  constructor(
    private readonly clients: TenantGraphClients,
    private readonly homeTenantId: string,
    private readonly sender: string,
  ) {}

  async send(message: MailMessage): Promise<Result<void, GraphProblem>> {
    const graph = this.clients.forTenant(this.homeTenantId);
    if (!graph.ok) return graph;
    try {
      await graph.value.client.api(`/users/${encodeURIComponent(this.sender)}/sendMail`).post({
        message: {
          subject: message.subject,
          body: message.html === null ? { contentType: 'Text', content: message.text } : { contentType: 'HTML', content: message.html },
          toRecipients: message.to.map((address) => ({ emailAddress: { address } })),
        },
        saveToSentItems: false,
      });
      return ok(undefined);
    } catch (error) {
      return err(graph.value.problem(error));
    }
  }
}
