import { z } from 'zod';
import { ErrorBody, withReference } from '../http/errorAnswers.js';
import { Live, NotLive, NotReady, Ready } from '../http/healthAnswers.js';
import { BODY_LIMITS } from '../http/jsonBody.js';
import { JOURNAL_CSV_COLUMNS } from './journalCsv.js';
import {
  AccountJson,
  FundsAnswer,
  InsightJson,
  JournalEntryJson,
  JournalPage,
  RefundAnswer,
  ReportAnswer,
  SyncFailureJson,
  SyncReportJson,
  Time,
  UsageAnswer,
  UsageBreakdownJson,
} from './responseSchemas.js';
import {
  DEFAULT_USAGE_RANGE_DAYS,
  FundsBody,
  JournalQuery,
  MAX_USAGE_RANGE_DAYS,
  MAX_USAGE_RECORDS,
  RefundBody,
  ReportBody,
  TenantId,
  UsageBatch,
  UsageQuery,
  UsageRecordBody,
} from './schemas.js';
import { USAGE_CSV_COLUMNS } from './usageBreakdownAnswer.js';
import { NO_DEPARTMENT, UNKNOWN_USER } from '../../services/insight/usageBreakdown.js';

type JsonSchema = z.core.JSONSchema.JSONSchema;
type SchemaRef = { $ref: string };

const componentRef = (id: string) => `#/components/schemas/${id}`;

/** A schema written into the document where it is used; the document's dialect applies. */
function inlineSchema(schema: z.ZodType): JsonSchema {
  const { $schema: _dialect, ...json } = z.toJSONSchema(schema);
  return json;
}

/**
 * Zod schemas that become `components.schemas`, converted one way: as clients send them (`input`:
 * before transforms and defaults) or as they receive them (`output`).
 */
class SchemaComponents {
  private readonly registry = z.registry<{ id: string }>();

  constructor(private readonly io: 'input' | 'output') {}

  /** Makes `schema` the component `id` and gives the reference to it. */
  add(id: string, schema: z.ZodType): SchemaRef {
    this.registry.add(schema, { id });
    return { $ref: componentRef(id) };
  }

  jsonSchemas(): Record<string, JsonSchema> {
    const { schemas } = z.toJSONSchema(this.registry, { io: this.io, uri: componentRef });
    // Each is a part of the document: the document's dialect applies, and an `$id` would re-base its references.
    return Object.fromEntries(Object.entries(schemas).map(([id, { $schema: _dialect, $id: _id, ...schema }]) => [id, schema]));
  }
}

/** An object schema's fields as OpenAPI parameters, as clients send them. */
function parameters(place: 'path' | 'query', fields: z.ZodObject, descriptions: Record<string, string> = {}) {
  const { properties = {}, required = [] } = z.toJSONSchema(fields, { io: 'input' });
  return Object.entries(properties).map(([name, schema]) => ({
    name,
    in: place,
    required: place === 'path' || required.includes(name),
    ...(descriptions[name] && { description: descriptions[name] }),
    schema,
  }));
}

const ERROR_MEANINGS = {
  400: 'The request is malformed (the tenant id, the query or the body); nothing changed. `message` says why.',
  401: 'The `Authorization: Bearer <OPERATOR_API_KEY>` header is missing or wrong.',
  402: 'The payment gateway refused the request (`refund-failed`); nothing changed.',
  403: 'The download link is not one this server signed (`link-invalid`) or it has expired (`link-expired`); no data.',
  404: 'The tenant has no account.',
  409: 'The idempotency key was already used for another request; nothing changed.',
  413: 'The body is larger than this endpoint takes; it is not read.',
  415: 'The body is not `application/json`, or it is compressed.',
  422: 'The request is well formed but the ledger refused it (amount out of the limits, wrong currency…); nothing changed.',
  500: 'An unexpected failure; the log has it under the reference.',
  501: 'The gateway in use cannot do this (`refunds-unavailable`: refunds need PAYMENT_GATEWAY=stripe).',
  502: 'The payment gateway did not answer (`refund-failed`); nothing was journaled: ask again with the same key.',
  503: 'The operator API is off (OPERATOR_API_KEY is unset), the store cannot write, or the bot is still starting (`starting`, with Retry-After); `message` says which when it can.',
} as const;
type ErrorStatus = keyof typeof ERROR_MEANINGS;

interface OperationSpec {
  operationId: string;
  summary: string;
  description?: string;
  /** Asks for the operator key (and so may answer 401 and 503). */
  operatorKey?: true;
  parameters?: object[];
  body?: { schema: SchemaRef; description: string; optional?: true };
  /** The success answer, and any other answer that is not the common error body. */
  answers: Record<number, { description: string; json?: SchemaRef; csv?: z.ZodType }>;
  errors?: ErrorStatus[];
}

function buildDocument() {
  const requests = new SchemaComponents('input');
  const responses = new SchemaComponents('output');
  const error = responses.add('Error', withReference(ErrorBody));
  const jsonContent = (schema: SchemaRef | JsonSchema) => ({ 'application/json': { schema } });
  const answer = (description: string, content: object) => ({ description, headers: { 'x-request-id': { $ref: '#/components/headers/RequestId' } }, content });

  function operation(spec: OperationSpec) {
    const errors = new Set<ErrorStatus>([...(spec.errors ?? []), ...(spec.operatorKey ? ([401, 503] as const) : []), 500]);
    const answered: Record<string, object> = {};
    for (const [status, a] of Object.entries(spec.answers)) {
      answered[status] = answer(a.description, { ...(a.json && jsonContent(a.json)), ...(a.csv && { 'text/csv': { schema: inlineSchema(a.csv) } }) });
    }
    for (const status of [...errors].sort()) answered[status] ??= answer(ERROR_MEANINGS[status], jsonContent(error));
    return {
      operationId: spec.operationId,
      summary: spec.summary,
      ...(spec.description && { description: spec.description }),
      tags: [spec.operatorKey ? 'Operator API' : 'Service'],
      ...(spec.operatorKey && { security: [{ operatorKey: [] }] }),
      ...(spec.parameters && { parameters: spec.parameters }),
      ...(spec.body && { requestBody: { required: !spec.body.optional, description: spec.body.description, content: jsonContent(spec.body.schema) } }),
      responses: answered,
    };
  }

  const tenantPath = parameters('path', z.object({ tenantId: TenantId }), { tenantId: "The tenant's Microsoft Entra tenant id." });
  const account = responses.add('Account', AccountJson);
  responses.add('JournalEntry', JournalEntryJson);
  responses.add('Time', Time);
  requests.add('UsageRecord', UsageRecordBody);

  const paths = {
    '/healthz': {
      get: operation({
        operationId: 'getLiveness',
        summary: 'Liveness: the process serves (from before its store opens) and its store can write.',
        answers: {
          200: { description: 'Alive.', json: responses.add('Live', Live) },
          503: { description: 'The store cannot write: restart or recover.', json: responses.add('NotLive', withReference(NotLive)) },
        },
      }),
    },
    '/readyz': {
      get: operation({
        operationId: 'getReadiness',
        summary: 'Readiness: every dependency answers; otherwise the list of what is wrong.',
        answers: {
          200: { description: 'Ready.', json: responses.add('Ready', Ready) },
          503: { description: 'Not ready, and why (`start-up` while the bot starts).', json: responses.add('NotReady', withReference(NotReady)) },
        },
      }),
    },
    '/api/openapi.json': {
      get: operation({
        operationId: 'getApiDescription',
        summary: 'This description (OpenAPI 3.1). No key needed: it holds no data.',
        answers: { 200: { description: 'The OpenAPI document.', json: responses.add('OpenApiDocument', z.looseObject({ openapi: z.string() })) } },
      }),
    },
    '/api/usage': {
      post: operation({
        operationId: 'postUsage',
        summary: 'Charge call records to their tenants.',
        description:
          "Answers once every accepted record is durably stored. A record id is charged once: sending it again counts it as a duplicate. A record that is malformed, or whose currency is not its account's, is rejected on its own (see `rejected`); the others are charged.",
        operatorKey: true,
        body: {
          schema: requests.add('UsageBatch', UsageBatch),
          description: `Up to ${MAX_USAGE_RECORDS} records shaped like Microsoft Graph's pstnCallLogRow, at most ${BODY_LIMITS.usageBatch} bytes.`,
        },
        answers: { 200: { description: 'What was charged, counted and rejected.', json: responses.add('UsageAnswer', UsageAnswer) } },
        errors: [400, 413, 415],
      }),
    },
    '/api/tenants/{tenantId}/account': {
      get: operation({
        operationId: 'getAccount',
        summary: "A tenant's balance, lots and auto-recharge.",
        operatorKey: true,
        parameters: tenantPath,
        answers: { 200: { description: 'The account.', json: account } },
        errors: [400, 404],
      }),
    },
    '/api/tenants/{tenantId}/funds': {
      post: operation({
        operationId: 'postFunds',
        summary: "An operator's grant or refund, journaled with the operator as actor.",
        description:
          "Same limits and idempotency as an admin's addition: the same key again replays the first answer (`replayed: true`). Opens the account when there is none.",
        operatorKey: true,
        parameters: tenantPath,
        body: { schema: requests.add('FundsRequest', FundsBody), description: `At most ${BODY_LIMITS.grant} bytes.` },
        answers: { 200: { description: 'The grant (or its replay) and the account after it.', json: responses.add('FundsAnswer', FundsAnswer) } },
        errors: [400, 409, 413, 415, 422],
      }),
    },
    '/api/tenants/{tenantId}/refunds': {
      post: operation({
        operationId: 'postRefund',
        summary: 'Refund part of a card payment through Stripe, journaled against the lot it added.',
        description:
          'Sends `amount` back to the card that paid for the purchase (or auto-recharge) `operationId`, then journals a negative `funds-refunded` entry against the lot it added. Never more than what remains of that lot (409 `refund-exceeds-lot` says how much does). The same key again replays the first answer (`replayed: true`) and refunds nothing more; with another amount it is refused (409). A refund a crash kept from the journal is journaled at the next start. Needs PAYMENT_GATEWAY=stripe.',
        operatorKey: true,
        parameters: tenantPath,
        body: { schema: requests.add('RefundRequest', RefundBody), description: `At most ${BODY_LIMITS.grant} bytes.` },
        answers: { 200: { description: 'The refund (or its replay) and the account after it.', json: responses.add('RefundAnswer', RefundAnswer) } },
        errors: [400, 402, 404, 409, 413, 415, 422, 501, 502],
      }),
    },
    '/api/tenants/{tenantId}/journal': {
      get: operation({
        operationId: 'getJournal',
        summary: "A page of the tenant's journal, oldest first.",
        operatorKey: true,
        parameters: [
          ...tenantPath,
          ...parameters('query', JournalQuery, { after: 'Entries after this entry id (`next` of the previous page).', limit: 'Entries per page.' }),
        ],
        answers: { 200: { description: 'The page.', json: responses.add('JournalPage', JournalPage) } },
        errors: [400, 404],
      }),
    },
    '/api/tenants/{tenantId}/journal.csv': {
      get: operation({
        operationId: 'getJournalCsv',
        summary: "The tenant's whole journal as CSV, streamed.",
        description: `Columns: ${JOURNAL_CSV_COLUMNS.join(', ')}. Amounts are exact decimals in the account's currency; text a spreadsheet would run as a formula is quoted with a leading \`'\`. A failure after the head is sent cuts the transfer.`,
        operatorKey: true,
        parameters: tenantPath,
        answers: { 200: { description: 'RFC 4180 CSV with a header line.', csv: z.string() } },
        errors: [400, 404],
      }),
    },
    '/api/exports/journal.csv': {
      get: operation({
        operationId: 'getJournalExport',
        summary: "A tenant's whole journal as CSV, through a signed link an admin got in Teams.",
        description:
          'No operator key: the token `t` (made by the bot for a tenant admin allowed to view, valid 15 minutes) is the authorisation and names the tenant. The CSV is the one of `getJournalCsv`.',
        parameters: parameters('query', z.object({ t: z.string() }), { t: 'The signed token from the link.' }),
        answers: { 200: { description: 'RFC 4180 CSV with a header line, as an attachment.', csv: z.string() } },
        errors: [403, 404],
      }),
    },
    '/api/tenants/{tenantId}/insight': {
      get: operation({
        operationId: 'getInsight',
        summary: 'Usage breakdown of the last 30 days and the runway forecast.',
        operatorKey: true,
        parameters: tenantPath,
        answers: { 200: { description: 'The insight.', json: responses.add('Insight', InsightJson) } },
        errors: [400, 404],
      }),
    },
    '/api/tenants/{tenantId}/usage': {
      get: operation({
        operationId: 'getUsage',
        summary: 'Usage of the calls that started in a range, grouped by user, department, destination, call type or day.',
        description: `Read from the journal, in integer minor units. Calls whose record names no user count as "${UNKNOWN_USER}", records without an administrative unit as "${NO_DEPARTMENT}". The range may span at most ${MAX_USAGE_RANGE_DAYS} days; without \`from\` it is the ${DEFAULT_USAGE_RANGE_DAYS} days before \`to\` (default: now). CSV (\`format=csv\`, or \`Accept: text/csv\`) has the columns ${USAGE_CSV_COLUMNS.join(', ')}; text a spreadsheet would run as a formula is quoted with a leading \`'\`.`,
        operatorKey: true,
        parameters: [
          ...tenantPath,
          ...parameters('query', UsageQuery, {
            groupBy: 'What to group by.',
            from: 'Calls that started from here: a UTC day (from its midnight) or a date and time.',
            to: 'Until here (exclusive): a UTC day (through its end) or a date and time. Default: now.',
            format: 'json (the default) or csv; without it, the Accept header decides.',
          }),
        ],
        answers: {
          200: {
            description: 'The groups, largest spend first (by day: oldest first).',
            json: responses.add('UsageBreakdown', UsageBreakdownJson),
            csv: z.string(),
          },
        },
        errors: [400, 404],
      }),
    },
    '/api/tenants/{tenantId}/sync': {
      post: operation({
        operationId: 'postSync',
        summary: "Pull the tenant's usage from Microsoft Graph now.",
        description: 'Answers 503 `graph-not-configured` when Microsoft Graph is not configured.',
        operatorKey: true,
        parameters: tenantPath,
        answers: {
          200: { description: 'What was read, accepted and skipped.', json: responses.add('SyncReport', SyncReportJson) },
          502: {
            description: 'Microsoft Graph stopped the sync: what was done before, and why (with the consent link when the tenant has not consented).',
            json: responses.add('SyncFailure', withReference(SyncFailureJson)),
          },
        },
        errors: [400],
      }),
    },
    '/api/tenants/{tenantId}/report': {
      post: operation({
        operationId: 'postReport',
        summary: "Send the tenant's weekly report to its admins now.",
        description:
          "The report of the last seven days, to each admin's personal chat and mailbox (not to admins who switched it off), answered with whom it reached. It is not stored and does not count as the week's report, which still comes at its scheduled time. The body is optional and must be `{}`.",
        operatorKey: true,
        parameters: tenantPath,
        body: { schema: requests.add('ReportRequest', ReportBody), description: `Optional; at most ${BODY_LIMITS.report} bytes.`, optional: true },
        answers: { 200: { description: 'Whom the report reached.', json: responses.add('ReportAnswer', ReportAnswer) } },
        errors: [400, 404, 413, 415],
      }),
    },
  };

  return {
    openapi: '3.1.0',
    jsonSchemaDialect: 'https://json-schema.org/draft/2020-12/schema',
    info: {
      title: 'Communications Credits bot: operator API',
      version: '1.0.0',
      description:
        'Balances, journals and grants for operators, and usage in. Every operator endpoint asks for `Authorization: Bearer <OPERATOR_API_KEY>`. Every error answer is `{error, message?, reference}`; the reference is also the `x-request-id` header and finds the details in the log.',
    },
    tags: [
      { name: 'Operator API', description: 'Asks for the operator key.' },
      { name: 'Service', description: 'Health and this description; no key, no tenant data.' },
    ],
    paths,
    components: {
      schemas: { ...requests.jsonSchemas(), ...responses.jsonSchemas() },
      securitySchemes: { operatorKey: { type: 'http', scheme: 'bearer', description: 'The OPERATOR_API_KEY the bot was started with.' } },
      headers: { RequestId: { description: "The request's reference (`reference` in an error body).", required: true, schema: inlineSchema(z.string()) } },
    },
  };
}

export type OpenApiDocument = ReturnType<typeof buildDocument>;

let document: OpenApiDocument | undefined;

/** The OpenAPI 3.1 description of the operator API and the health checks, generated from their zod schemas on first use. */
export function openApiDocument(): OpenApiDocument {
  return (document ??= buildDocument());
}
