import type { Request, Response, Server } from 'restify';
import type { LedgerService } from '../../services/ledgerService.js';
import { accountJson, journalEntryJson } from './accountJson.js';
import { journalCsv } from './journalCsv.js';
import { operatorAuthorizer } from './auth.js';
import { ledgerErrorResponse, refundErrorResponse } from './ledgerErrorResponse.js';
import { openApiDocument } from './openApiDocument.js';
import {
  describeIssues,
  FundsBody,
  JournalQuery,
  RefundBody,
  ReportBody,
  TenantId,
  toUsageRecord,
  UsageBody,
  UsageQuery,
  UsageRecordCheck,
  usageRange,
} from './schemas.js';
import { usageBreakdownCsv, usageBreakdownJson } from './usageBreakdownAnswer.js';
import type { UsageRecord } from '../../services/ledger/applyUsage.js';
import type { SyncOutcome } from '../../services/usageSync.js';
import { GRAPH_NOT_CONFIGURED, syncResponse } from './syncResponse.js';
import type { AccountSyncExtras, FundsAnswer, InsightJson, JournalPage, RefundAnswer, ReportAnswer, UsageAnswer } from './responseSchemas.js';
import type { ReportNowOutcome } from '../alerts/weeklyReports.js';
import { BODY_LIMITS, jsonBody } from '../http/jsonBody.js';
import { streamBody } from '../http/streamBody.js';
import type { ErrorBody } from '../http/errorAnswers.js';
import type { Log } from '../log.js';

export interface OperatorApiDeps {
  ledger: LedgerService;
  apiKey: string | null;
  /** The account's Microsoft Graph usage sync (`lastSyncAt`, `usageSync`); absent when Graph is not configured. */
  accountExtras?: (tenantId: string) => Promise<AccountSyncExtras>;
  /** Pulls a tenant's usage from Microsoft Graph now; absent when Graph is not configured. */
  syncUsage?: (tenantId: string) => Promise<SyncOutcome>;
  /** Sends the tenant's weekly report now to its admins (not the week's); null without an account. */
  sendReport: (tenantId: string) => Promise<ReportNowOutcome | null>;
  log: Log;
}

type Handler = (req: Request, res: Response) => Promise<void>;

/**
 * The operator API (SPEC §3): usage in, balances and journals out, grants, and its OpenAPI
 * description (`openApiDocument.ts`). The key is checked before anything else: a body is read only
 * for a caller holding it.
 */
export function registerOperatorApi(server: Server, deps: OperatorApiDeps): void {
  const authorized = operatorAuthorizer(deps.apiKey);
  const guarded =
    (handler: Handler): Handler =>
    async (req, res) => {
      if (authorized(req, res)) await handler(req, res);
    };
  server.post(
    '/api/usage',
    guarded((req, res) => postUsage(deps, req, res)),
  );
  server.get(
    '/api/tenants/:tenantId/account',
    guarded((req, res) => getAccount(deps, req, res)),
  );
  server.post(
    '/api/tenants/:tenantId/funds',
    guarded((req, res) => postFunds(deps, req, res)),
  );
  server.post(
    '/api/tenants/:tenantId/refunds',
    guarded((req, res) => postRefund(deps, req, res)),
  );
  server.get(
    '/api/tenants/:tenantId/journal',
    guarded((req, res) => getJournal(deps, req, res)),
  );
  server.get(
    '/api/tenants/:tenantId/journal.csv',
    guarded((req, res) => getJournalCsv(deps, req, res)),
  );
  server.get(
    '/api/tenants/:tenantId/insight',
    guarded((req, res) => getInsight(deps, req, res)),
  );
  server.get(
    '/api/tenants/:tenantId/usage',
    guarded((req, res) => getUsage(deps, req, res)),
  );
  server.post(
    '/api/tenants/:tenantId/sync',
    guarded((req, res) => postSync(deps, req, res)),
  );
  server.post(
    '/api/tenants/:tenantId/report',
    guarded((req, res) => postReport(deps, req, res)),
  );
  // The description holds no data: no key needed.
  server.get('/api/openapi.json', async (_req, res) => void res.send(200, openApiDocument()));
}

const badRequest = (res: Response, message: string) => res.send(400, { error: 'bad-request', message } satisfies ErrorBody);
const noAccount = (res: Response, tenantId: string) => res.send(404, { error: 'not-found', message: `No account for tenant ${tenantId}.` } satisfies ErrorBody);

/** The tenant named in the path, or a 400 (an id that cannot be a tenant names no account). */
function tenantParam(req: Request, res: Response): string | null {
  const parsed = TenantId.safeParse(req.params.tenantId);
  if (parsed.success) return parsed.data;
  badRequest(res, `tenantId: ${describeIssues(parsed.error)}`);
  return null;
}

async function postUsage(deps: OperatorApiDeps, req: Request, res: Response): Promise<void> {
  // No variable of this (suspended) function holds the records while the ledger's write is awaited.
  const answer = await readUsageBatch(req, res).then((checked) => checked && ingestBatch(deps, checked));
  if (answer) res.send(200, answer);
}

/** The answer once the batch is durable; what waits for it holds the positions and rejections, not the records. */
function ingestBatch(deps: OperatorApiDeps, { valid, positions, rejected }: CheckedBatch): Promise<UsageAnswer> {
  return deps.ledger.ingestUsage(valid).then((outcome) => {
    for (const r of outcome.rejected) rejected.push({ index: positions[r.index]!, error: r.error });
    rejected.sort((a, b) => a.index - b.index);
    return { accepted: outcome.accepted, duplicates: outcome.duplicates, rejected };
  });
}

interface CheckedBatch {
  valid: UsageRecord[];
  positions: number[];
  rejected: UsageAnswer['rejected'];
}

/**
 * Reads a usage batch and checks it record by record; null once a bad batch was answered. Apart
 * from what it returns, nothing of the parsed body stays reachable while the ledger's write is
 * awaited: a batch's parsed JSON and checked copies would otherwise live through the fsync and be
 * promoted to V8's old generation as garbage.
 */
async function readUsageBatch(req: Request, res: Response): Promise<CheckedBatch | null> {
  const json = await jsonBody(req, res, BODY_LIMITS.usageBatch);
  if (!json) return null;
  const body = UsageBody.safeParse(json.value);
  if (!body.success) {
    badRequest(res, `Expected {"records": [...]} with at most 10000 records. ${describeIssues(body.error)}`);
    return null;
  }
  const valid: UsageRecord[] = [];
  const positions: number[] = [];
  const rejected: UsageAnswer['rejected'] = [];
  body.data.records.forEach((raw, index) => {
    const record = UsageRecordCheck.safeParse(raw);
    if (record.success) {
      positions.push(index);
      valid.push(toUsageRecord(record.data));
    } else rejected.push({ index, error: describeIssues(record.error) });
  });
  return { valid, positions, rejected };
}

async function getAccount(deps: OperatorApiDeps, req: Request, res: Response): Promise<void> {
  const tenantId = tenantParam(req, res);
  if (!tenantId) return;
  const account = await deps.ledger.account(tenantId);
  if (!account) return void noAccount(res, tenantId);
  res.send(200, accountJson(account, deps.ledger.now(), (await deps.accountExtras?.(tenantId)) ?? {}));
}

async function postFunds(deps: OperatorApiDeps, req: Request, res: Response): Promise<void> {
  const tenantId = tenantParam(req, res);
  if (!tenantId) return;
  const json = await jsonBody(req, res, BODY_LIMITS.grant);
  if (!json) return;
  const body = FundsBody.safeParse(json.value);
  if (!body.success) return void badRequest(res, describeIssues(body.error));
  const { amount, currency, idempotencyKey, note } = body.data;
  const result = await deps.ledger.grantFunds(tenantId, { amount, currency, idempotencyKey, note: note ?? null, actor: 'operator' });
  if (!result.ok) {
    const { status, body: errorBody } = ledgerErrorResponse(result.error);
    return void res.send(status, errorBody);
  }
  res.send(200, (await movedAnswer(deps, tenantId, result.value)) satisfies FundsAnswer);
}

/** A refund of part of a card payment, through the gateway, journaled against the lot it added. */
async function postRefund(deps: OperatorApiDeps, req: Request, res: Response): Promise<void> {
  const tenantId = tenantParam(req, res);
  if (!tenantId) return;
  const json = await jsonBody(req, res, BODY_LIMITS.grant);
  if (!json) return;
  const body = RefundBody.safeParse(json.value);
  if (!body.success) return void badRequest(res, describeIssues(body.error));
  const result = await deps.ledger.refund(tenantId, { ...body.data, actor: 'operator' });
  if (!result.ok) {
    const { status, body: errorBody } = refundErrorResponse(result.error);
    return void res.send(status, errorBody);
  }
  res.send(200, (await movedAnswer(deps, tenantId, result.value)) satisfies RefundAnswer);
}

/** What a grant or a refund answers: the entry that moved the money, and the account as it stands now. */
async function movedAnswer(
  deps: OperatorApiDeps,
  tenantId: string,
  moved: { entryId: string; amountMinor: number; balanceAfterMinor: number; replayed: boolean },
): Promise<FundsAnswer> {
  const account = (await deps.ledger.account(tenantId))!;
  const { entryId, amountMinor, balanceAfterMinor, replayed } = moved;
  return { entryId, amountMinor, balanceAfterMinor, replayed, account: accountJson(account, deps.ledger.now()) };
}

async function getJournal(deps: OperatorApiDeps, req: Request, res: Response): Promise<void> {
  const tenantId = tenantParam(req, res);
  if (!tenantId) return;
  const query = JournalQuery.safeParse(req.query ?? {});
  if (!query.success) return void badRequest(res, describeIssues(query.error));
  const account = await deps.ledger.account(tenantId);
  if (!account) return void noAccount(res, tenantId);
  const entries = await deps.ledger.journal(tenantId, query.data.after, query.data.limit);
  const last = entries.at(-1);
  res.send(200, { entries: entries.map(journalEntryJson), next: last && Number(last.id) < account.entryCount ? last.id : null } satisfies JournalPage);
}

/** The whole journal as CSV, streamed page by page at the client's pace so a long history never sits in memory. */
async function getJournalCsv(deps: OperatorApiDeps, req: Request, res: Response): Promise<void> {
  const tenantId = tenantParam(req, res);
  if (!tenantId) return;
  await sendJournalCsv(deps, req, res, tenantId);
}

/** A tenant's journal as a CSV attachment (or 404 without an account): the operator's export and the admin's signed link. */
export async function sendJournalCsv(deps: Pick<OperatorApiDeps, 'ledger' | 'log'>, req: Request, res: Response, tenantId: string): Promise<void> {
  const account = await deps.ledger.account(tenantId);
  if (!account) return void noAccount(res, tenantId);
  res.writeHead(200, {
    'content-type': 'text/csv; charset=utf-8',
    'content-disposition': `attachment; filename="journal-${tenantId}.csv"`,
  });
  await streamBody(
    req,
    res,
    journalCsv((after) => deps.ledger.journal(tenantId, after, 1000), account.currency),
    deps.log,
  );
}

/** Usage breakdown of the last 30 days and the runway forecast (SPEC §5). */
async function getInsight(deps: OperatorApiDeps, req: Request, res: Response): Promise<void> {
  const tenantId = tenantParam(req, res);
  if (!tenantId) return;
  const insight = await deps.ledger.insight(tenantId);
  if (!insight) return void noAccount(res, tenantId);
  res.send(200, { tenantId, ...insight } satisfies InsightJson);
}

/**
 * Usage of the calls that started in a range, grouped by user, department, destination, call type
 * or day (SPEC §3): JSON, or CSV for `format=csv` or an Accept header that prefers text/csv.
 */
async function getUsage(deps: OperatorApiDeps, req: Request, res: Response): Promise<void> {
  const tenantId = tenantParam(req, res);
  if (!tenantId) return;
  const query = UsageQuery.safeParse(req.query ?? {});
  if (!query.success) return void badRequest(res, describeIssues(query.error));
  const range = usageRange(query.data, deps.ledger.now());
  if (!range.ok) return void badRequest(res, range.error);
  const account = await deps.ledger.account(tenantId);
  if (!account) return void noAccount(res, tenantId);
  const breakdown = (await deps.ledger.usageBreakdown(tenantId, { groupBy: query.data.groupBy, ...range.value }))!;
  const csv = query.data.format ? query.data.format === 'csv' : wantsCsv(req.header('accept'));
  if (!csv) return void res.send(200, usageBreakdownJson(breakdown, tenantId, account.currency));
  res.writeHead(200, {
    'content-type': 'text/csv; charset=utf-8',
    'content-disposition': `attachment; filename="usage-${tenantId}-by-${breakdown.groupBy}.csv"`,
  });
  res.end(usageBreakdownCsv(breakdown, account.currency));
}

/** The Accept header names text/csv before (or without) JSON. */
function wantsCsv(accept: string | undefined): boolean {
  const types = (accept ?? '').split(',').map((part) => part.split(';')[0]!.trim().toLowerCase());
  const csv = types.indexOf('text/csv');
  const json = types.findIndex((type) => type === 'application/json' || type === '*/*');
  return csv !== -1 && (json === -1 || csv < json);
}

async function postSync(deps: OperatorApiDeps, req: Request, res: Response): Promise<void> {
  const tenantId = tenantParam(req, res);
  if (!tenantId) return;
  if (!deps.syncUsage) return void res.send(503, GRAPH_NOT_CONFIGURED);
  const { status, body } = syncResponse(await deps.syncUsage(tenantId));
  res.send(status, body);
}

/** Sends the weekly report now (SPEC §3) and says whom it reached; it does not count as the week's. */
async function postReport(deps: OperatorApiDeps, req: Request, res: Response): Promise<void> {
  const tenantId = tenantParam(req, res);
  if (!tenantId) return;
  // No fields: a body, if sent, must be JSON `{}`, and is read only up to a small limit.
  if (Number(req.headers['content-length'] ?? 0) > 0 || req.headers['transfer-encoding'] !== undefined) {
    const json = await jsonBody(req, res, BODY_LIMITS.report);
    if (!json) return;
    const body = ReportBody.safeParse(json.value);
    if (!body.success) return void badRequest(res, `This call takes no fields (send {} or no body). ${describeIssues(body.error)}`);
  }
  const outcome = await deps.sendReport(tenantId);
  if (!outcome) return void noAccount(res, tenantId);
  res.send(200, { tenantId, ...outcome } satisfies ReportAnswer);
}
