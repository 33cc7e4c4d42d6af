import { AuthenticationHandler, Client, HTTPMessageHandler } from '@microsoft/microsoft-graph-client';
import type { GraphProblem } from '../../services/graphPorts.js';
import { err, ok, type Result } from '../../services/result.js';
import { appCredentialFor } from './appCredential.js';
import { adminConsentUrl, graphScope } from './cloudEndpoints.js';
import { graphProblem } from './graphProblem.js';
import type { GraphSettings } from './graphSettings.js';
import { RenewableTokenProvider } from './renewableTokenProvider.js';
import { RenewTokenOnUnauthorized } from './renewTokenOnUnauthorized.js';
import { DEFAULT_RETRY_POLICY, RetryTransientFailures, type RetryPolicy } from './retryTransientFailures.js';

/** A Graph client signed in to one tenant, and how to turn its failures into problems. */
export interface TenantGraph {
  client: Client;
  problem(error: unknown): GraphProblem;
}

/**
 * One Graph client per tenant, each with its own app-only token: a tenant's data is only ever read
 * with that tenant's token. The chain is: renew the token on 401 → the SDK's authentication
 * handler (tokens go to the configured Graph host only) → retries of transient failures → fetch.
 */
export class TenantGraphClients {
  private readonly clients = new Map<string, TenantGraph>();
  private readonly stopping = new AbortController();

  constructor(
    private readonly settings: GraphSettings,
    private readonly retryPolicy: RetryPolicy = DEFAULT_RETRY_POLICY,
  ) {}

  private consentUrl(tenantId: string): string {
    return adminConsentUrl(this.settings.authorityHost, tenantId, this.settings.clientId);
  }

  /** Shutdown: calls under way and their retries end now, failing; the next start tries again. */
  stop(): void {
    this.stopping.abort(new Error('shutting down'));
  }

  forTenant(tenantId: string): Result<TenantGraph, GraphProblem> {
    const key = tenantId.toLowerCase();
    const existing = this.clients.get(key);
    if (existing) return ok(existing);
    const checked = appCredentialFor(this.settings, tenantId);
    if (!checked.ok) return err({ kind: 'unavailable', message: checked.error });
    const tokens = new RenewableTokenProvider(() => {
      const credential = appCredentialFor(this.settings, tenantId);
      if (!credential.ok) throw new Error(credential.error);
      return credential.value;
    }, graphScope(this.settings.baseUrl));
    const client = Client.initWithMiddleware({
      baseUrl: this.settings.baseUrl,
      // Host names without a port: the SDK compares them to the request URL's host.
      customHosts: new Set([new URL(this.settings.baseUrl).hostname]),
      // The SDK chains these in order.
      middleware: [
        new RenewTokenOnUnauthorized(tokens),
        new AuthenticationHandler(tokens),
        new RetryTransientFailures(this.retryPolicy, this.stopping.signal),
        new HTTPMessageHandler(),
      ],
    });
    const consentUrl = this.consentUrl(tenantId);
    const graph: TenantGraph = { client, problem: (error) => graphProblem(error, consentUrl) };
    this.clients.set(key, graph);
    return ok(graph);
  }
}
