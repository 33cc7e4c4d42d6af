import type { Config } from '../config.js';
import { authorityHostFor } from './cloudEndpoints.js';

/** How the app proves who it is, in the order @azure/identity's environment credential looks. */
export type AppCredentialSource =
  | { kind: 'secret'; secret: string }
  | { kind: 'certificate'; certificatePath: string }
  /** A managed identity signs in to its own tenant only: the home tenant. */
  | { kind: 'managed-identity' };

export interface GraphSettings {
  clientId: string;
  credential: AppCredentialSource;
  homeTenantId: string | null;
  authorityHost: string;
  baseUrl: string;
  /** The mailbox notices are sent from; null keeps them in the `.eml` outbox. */
  mailSender: string | null;
}

/** Graph's settings when it is configured (AZURE_CLIENT_ID is set), else null; refuses combinations that cannot work. */
export function graphSettings(graph: Config['graph']): GraphSettings | null {
  if (!graph.clientId) return null;
  const credential: AppCredentialSource = graph.clientSecret
    ? { kind: 'secret', secret: graph.clientSecret }
    : graph.certificatePath
      ? { kind: 'certificate', certificatePath: graph.certificatePath }
      : { kind: 'managed-identity' };
  if (credential.kind === 'managed-identity' && !graph.homeTenantId) {
    throw new Error(
      'AZURE_CLIENT_ID without AZURE_CLIENT_SECRET or AZURE_CLIENT_CERTIFICATE_PATH means a managed identity, which needs AZURE_TENANT_ID (the only tenant it can sign in to).',
    );
  }
  if (graph.mailSender && !graph.homeTenantId) {
    throw new Error('GRAPH_MAIL_SENDER needs AZURE_TENANT_ID: the tenant of that mailbox, whose token sends the mail.');
  }
  return {
    clientId: graph.clientId,
    credential,
    homeTenantId: graph.homeTenantId,
    authorityHost: authorityHostFor(graph.baseUrl, graph.authorityHost),
    baseUrl: graph.baseUrl,
    mailSender: graph.mailSender,
  };
}
