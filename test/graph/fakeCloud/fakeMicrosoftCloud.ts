import { constants as cryptoConstants, randomUUID, verify, X509Certificate } from 'node:crypto';
import { readFileSync } from 'node:fs';
import https from 'node:https';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { FakeTenant, type Permission } from './fakeTenant.js';

const DAY_MS = 86_400_000;

/** A canned answer (or a dropped connection) for the next requests that match. */
export interface Fault {
  method?: string;
  /** Matched against the decoded path, and `query` (when given) against the query string. */
  path: RegExp;
  query?: RegExp;
  /** How many matching requests get it; then the fake answers normally again. */
  times: number;
  status?: number;
  headers?: Record<string, string>;
  body?: unknown;
  dropConnection?: boolean;
}

export interface LoggedRequest {
  method: string;
  path: string;
  tenantId: string | null;
  status: number;
}

type Reply = { status: number; body?: unknown; headers?: Record<string, string> };

/**
 * Microsoft Entra's token service and Microsoft Graph, faked on one local HTTPS port: enough of
 * both for the real @azure/identity and Graph client to sign in per tenant (client credentials),
 * page through PSTN call logs, read directory roles and users, and send mail. Tokens are opaque and
 * bound to their tenant; every Graph call checks the token and the permission it needs.
 */
export class FakeMicrosoftCloud {
  readonly clientId = '11111111-2222-3333-4444-555555555555';
  readonly clientSecret = 'fake-client-secret';
  readonly tenants = new Map<string, FakeTenant>();
  readonly requests: LoggedRequest[] = [];
  /** Rows per page of a PSTN call log. */
  pageSize = 3;
  /** The app's certificate (PEM), when it signs in with one instead of the secret. */
  appCertificate: string | null = null;
  private readonly tokens = new Map<string, { tenantId: string; revoked: boolean }>();
  private readonly faults: Fault[] = [];

  private constructor(private readonly server: https.Server) {}

  static async start(tls: { keyFile: string; certFile: string }): Promise<FakeMicrosoftCloud> {
    const server = https.createServer({ key: readFileSync(tls.keyFile), cert: readFileSync(tls.certFile) });
    const cloud = new FakeMicrosoftCloud(server);
    server.on('request', (req, res) => void cloud.handle(req, res));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return cloud;
  }

  /** Both the authority host and the Graph base URL. */
  get baseUrl(): string {
    return `https://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  tenant(id: string): FakeTenant {
    let tenant = this.tenants.get(id);
    if (!tenant) {
      tenant = new FakeTenant(id);
      this.tenants.set(id, tenant);
    }
    return tenant;
  }

  /** Answers matching requests with the fault; set the returned fault's `times` to 0 to end it early. */
  inject(fault: Fault): Fault {
    this.faults.push(fault);
    return fault;
  }

  clearFaults(): void {
    this.faults.length = 0;
  }

  /** Graph refuses every token issued so far, as it does once they expire. */
  expireTokens(): void {
    for (const token of this.tokens.values()) token.revoked = true;
  }

  tokensIssued(tenantId: string): number {
    return this.requests.filter((r) => r.method === 'POST' && r.path === `/${tenantId}/oauth2/v2.0/token` && r.status === 200).length;
  }

  graphCalls(pathPattern: RegExp): LoggedRequest[] {
    return this.requests.filter((r) => r.path.startsWith('/v1.0/') && pathPattern.test(r.path));
  }

  close(): Promise<void> {
    this.server.closeAllConnections();
    return new Promise((resolve) => this.server.close(() => resolve()));
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const body = await readBody(req);
    const url = new URL(req.url ?? '/', this.baseUrl);
    const path = decodeURIComponent(url.pathname);
    const log: LoggedRequest = { method: req.method ?? 'GET', path, tenantId: null, status: 0 };
    this.requests.push(log);
    const fault = this.faults.find((f) => f.times > 0 && f.path.test(path) && (!f.query || f.query.test(url.search)) && (!f.method || f.method === req.method));
    if (fault) {
      fault.times--;
      if (fault.dropConnection) {
        log.status = -1;
        req.socket.destroy();
        return;
      }
      return this.reply(res, log, { status: fault.status ?? 500, headers: fault.headers, body: fault.body ?? graphError('Fault', 'injected fault') });
    }
    const reply = path.startsWith('/v1.0/') ? this.graph(req, url, path, body, log) : this.tokenService(req, path, body, log);
    this.reply(res, log, reply);
  }

  private reply(res: ServerResponse, log: LoggedRequest, reply: Reply): void {
    log.status = reply.status;
    const text = reply.body === undefined ? '' : JSON.stringify(reply.body);
    res.writeHead(reply.status, { ...(text ? { 'content-type': 'application/json' } : {}), ...reply.headers });
    res.end(text);
  }

  // --- Microsoft Entra token service -------------------------------------------------------

  private tokenService(req: IncomingMessage, path: string, body: string, log: LoggedRequest): Reply {
    const discovery = /^\/([^/]+)\/v2\.0\/\.well-known\/openid-configuration$/.exec(path);
    if (discovery && req.method === 'GET') {
      const authority = `${this.baseUrl}/${discovery[1]}`;
      return {
        status: 200,
        body: {
          token_endpoint: `${authority}/oauth2/v2.0/token`,
          authorization_endpoint: `${authority}/oauth2/v2.0/authorize`,
          end_session_endpoint: `${authority}/oauth2/v2.0/logout`,
          issuer: `${authority}/v2.0`,
          jwks_uri: `${authority}/discovery/v2.0/keys`,
          response_types_supported: ['code', 'id_token', 'token'],
        },
      };
    }
    const token = /^\/([^/]+)\/oauth2\/v2\.0\/token$/.exec(path);
    if (!token || req.method !== 'POST') return { status: 404, body: { error: 'not_found' } };
    const tenantId = token[1]!;
    log.tenantId = tenantId;
    const form = new URLSearchParams(body);
    const tenant = this.tenants.get(tenantId);
    if (!tenant) return signInError(400, 'invalid_request', 90002, `Tenant '${tenantId}' not found.`);
    if (form.get('grant_type') !== 'client_credentials') return signInError(400, 'unsupported_grant_type', 70003, 'Only client credentials here.');
    if (form.get('scope') !== `${this.baseUrl}/.default`) return signInError(400, 'invalid_scope', 70011, `The scope '${form.get('scope')}' is not valid.`);
    if (form.get('client_id') !== this.clientId)
      return signInError(
        400,
        'unauthorized_client',
        700016,
        `Application with identifier '${form.get('client_id')}' was not found in the directory '${tenantId}'.`,
      );
    const assertion = form.get('client_assertion');
    if (assertion !== null) {
      if (!this.assertionIsSigned(assertion, `${this.baseUrl}/${tenantId}/oauth2/v2.0/token`))
        return signInError(401, 'invalid_client', 700027, 'Client assertion failed signature validation.');
    } else if (form.get('client_secret') !== this.clientSecret) return signInError(401, 'invalid_client', 7000215, 'Invalid client secret provided.');
    if (tenant.signIn === 'app-not-in-tenant') {
      return signInError(
        400,
        'unauthorized_client',
        700016,
        `Application with identifier '${this.clientId}' was not found in the directory '${tenantId}'. This can happen if the application has not been installed by the administrator of the tenant.`,
      );
    }
    if (tenant.signIn === 'no-service-principal') {
      return signInError(401, 'invalid_client', 7000229, `The client application ${this.clientId} is missing service principal in the tenant ${tenantId}.`);
    }
    const accessToken = `fake-token-${randomUUID()}`;
    this.tokens.set(accessToken, { tenantId, revoked: false });
    return { status: 200, body: { token_type: 'Bearer', expires_in: 3599, ext_expires_in: 3599, access_token: accessToken } };
  }

  /** A client assertion (RFC 7523) from the app, signed with the private key of its certificate, for this token endpoint. */
  private assertionIsSigned(assertion: string, audience: string): boolean {
    if (!this.appCertificate) return false;
    const [header, payload, signature] = assertion.split('.');
    if (!header || !payload || !signature) return false;
    const { alg } = JSON.parse(Buffer.from(header, 'base64url').toString()) as { alg: string };
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString()) as { iss: string; aud: string };
    const key = new X509Certificate(this.appCertificate).publicKey;
    const signer = alg === 'PS256' ? { key, padding: cryptoConstants.RSA_PKCS1_PSS_PADDING, saltLength: 32 } : key;
    const signed = verify('sha256', Buffer.from(`${header}.${payload}`), signer, Buffer.from(signature, 'base64url'));
    return signed && claims.iss === this.clientId && claims.aud === audience;
  }

  // --- Microsoft Graph ------------------------------------------------------------------------

  private graph(req: IncomingMessage, url: URL, path: string, body: string, log: LoggedRequest): Reply {
    const bearer = /^Bearer (\S+)$/.exec(req.headers.authorization ?? '')?.[1];
    const token = bearer ? this.tokens.get(bearer) : undefined;
    if (!token) return { status: 401, body: graphError('InvalidAuthenticationToken', 'Access token is empty or not valid.') };
    log.tenantId = token.tenantId;
    if (token.revoked) return { status: 401, body: graphError('InvalidAuthenticationToken', 'Lifetime validation failed, the token is expired.') };
    const tenant = this.tenant(token.tenantId);
    const needs = (...anyOf: Permission[]): Reply | null =>
      anyOf.some((permission) => tenant.granted.has(permission))
        ? null
        : { status: 403, body: graphError('Authorization_RequestDenied', `Insufficient privileges to complete the operation (needs ${anyOf.join(' or ')}).`) };
    const route = path.slice('/v1.0'.length);

    const pstn = /^\/communications\/callRecords\/getPstnCalls\(fromDateTime=([^,]+),toDateTime=([^)]+)\)$/.exec(route);
    if (pstn && req.method === 'GET') return needs('CallRecord-PstnCalls.Read.All', 'CallRecords.Read.All') ?? this.pstnCalls(tenant, pstn[1]!, pstn[2]!, url);

    if (route === '/roleManagement/directory/roleAssignments' && req.method === 'GET') {
      const filter = /^(principalId|roleDefinitionId) eq '([^']*)'$/.exec(url.searchParams.get('$filter') ?? '');
      if (!filter) return { status: 400, body: graphError('BadRequest', 'A $filter on principalId or roleDefinitionId is required.') };
      const field = filter[1] as 'principalId' | 'roleDefinitionId';
      return needs('RoleManagement.Read.Directory') ?? { status: 200, body: { value: tenant.roleAssignments.filter((a) => a[field] === filter[2]) } };
    }

    const memberOf = /^\/users\/([^/]+)\/transitiveMemberOf\/microsoft\.graph\.directoryRole$/.exec(route);
    if (memberOf && req.method === 'GET') {
      if (!tenant.users.has(memberOf[1]!)) return { status: 404, body: graphError('Request_ResourceNotFound', `Resource '${memberOf[1]}' does not exist.`) };
      const roles = tenant
        .activatedRolesOf(memberOf[1]!)
        .map((roleTemplateId) => ({ '@odata.type': '#microsoft.graph.directoryRole', id: `role-${roleTemplateId}`, roleTemplateId }));
      return needs('RoleManagement.Read.Directory') ?? { status: 200, body: { value: roles } };
    }

    const user = /^\/users\/([^/]+)$/.exec(route);
    if (user && req.method === 'GET') {
      const found = tenant.users.get(user[1]!);
      return (
        needs('User.Read.All') ??
        (found ? { status: 200, body: found } : { status: 404, body: graphError('Request_ResourceNotFound', `Resource '${user[1]}' does not exist.`) })
      );
    }

    const group = /^\/groups\/([^/]+)(\/transitiveMembers\/microsoft\.graph\.user)?$/.exec(route);
    if (group && req.method === 'GET') {
      const members = tenant.groups.get(group[1]!);
      if (!members) return { status: 404, body: graphError('Request_ResourceNotFound', `Resource '${group[1]}' does not exist.`) };
      if (!group[2]) return needs('User.Read.All') ?? { status: 200, body: { id: group[1] } };
      return needs('User.Read.All') ?? { status: 200, body: { value: members.map((id) => tenant.users.get(id)).filter(Boolean) } };
    }

    const sendMail = /^\/users\/([^/]+)\/sendMail$/.exec(route);
    if (sendMail && req.method === 'POST') return needs('Mail.Send') ?? this.sendMail(tenant, sendMail[1]!, body);

    return { status: 404, body: graphError('UnknownResource', `No fake for ${req.method} ${path}`) };
  }

  private pstnCalls(tenant: FakeTenant, fromText: string, toText: string, url: URL): Reply {
    const from = Date.parse(fromText);
    const to = Date.parse(toText);
    if (Number.isNaN(from) || Number.isNaN(to) || to < from)
      return { status: 400, body: graphError('BadRequest', 'fromDateTime and toDateTime must be dates, from before to.') };
    if (to - from > 90 * DAY_MS) return { status: 400, body: graphError('BadRequest', 'The date range can be at most 90 days.') };
    const rows = tenant.callLog.filter((row) => {
      const start = Date.parse(String(row.startDateTime));
      return start >= from && start < to;
    });
    const skip = Number(url.searchParams.get('$skiptoken') ?? 0);
    const page = rows.slice(skip, skip + this.pageSize);
    const next =
      skip + this.pageSize < rows.length
        ? `${this.baseUrl}/v1.0/communications/callRecords/getPstnCalls(fromDateTime=${fromText},toDateTime=${toText})?$skiptoken=${skip + this.pageSize}`
        : undefined;
    return {
      status: 200,
      body: {
        '@odata.context': `${this.baseUrl}/v1.0/$metadata#Collection(microsoft.graph.callRecords.pstnCallLogRow)`,
        '@odata.count': page.length,
        value: page,
        ...(next ? { '@odata.nextLink': next } : {}),
      },
    };
  }

  private sendMail(tenant: FakeTenant, sender: string, body: string): Reply {
    const known = [...tenant.users.values()].some((u) => u.id === sender || u.mail === sender);
    if (!known) return { status: 404, body: graphError('ErrorInvalidUser', `The requested user '${sender}' is invalid.`) };
    const { message } = JSON.parse(body) as {
      message: { subject: string; body: { contentType: string; content: string }; toRecipients: Array<{ emailAddress: { address: string } }> };
    };
    tenant.sentMail.push({
      sender,
      to: message.toRecipients.map((r) => r.emailAddress.address),
      subject: message.subject,
      contentType: message.body.contentType,
      content: message.body.content,
    });
    return { status: 202 };
  }
}

const graphError = (code: string, message: string) => ({
  error: { code, message, innerError: { date: new Date().toISOString(), 'request-id': randomUUID() } },
});

function signInError(status: number, error: string, code: number, description: string): Reply {
  return {
    status,
    body: {
      error,
      error_description: `AADSTS${code}: ${description} Trace ID: ${randomUUID()} Correlation ID: ${randomUUID()} Timestamp: ${new Date().toISOString()}`,
      error_codes: [code],
      timestamp: new Date().toISOString(),
      trace_id: randomUUID(),
      correlation_id: randomUUID(),
    },
  };
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    let text = '';
    req.setEncoding('utf8');
    req.on('data', (chunk: string) => (text += chunk));
    req.on('end', () => resolve(text));
    req.on('error', reject);
  });
}
