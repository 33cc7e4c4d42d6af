import type { SyncOutcome } from '../../services/usageSync.js';
import type { ErrorBody } from '../http/errorAnswers.js';
import type { SyncFailureJson, SyncReportJson } from './responseSchemas.js';

/**
 * A sync run for the operator (`POST /api/tenants/{tenantId}/sync`) as an HTTP status and body:
 * 200 with what was read and done; 502 when Graph stopped it (with what was done before that and,
 * for a tenant without consent, the link its admin grants consent at).
 */
export function syncResponse(outcome: SyncOutcome): { status: 200; body: SyncReportJson } | { status: 502; body: SyncFailureJson } {
  if (outcome.ok) return { status: 200, body: { ...outcome.value } };
  const { problem, report } = outcome.error;
  const error = problem.kind === 'no-consent' ? { error: 'no-consent' as const, consentUrl: problem.consentUrl } : { error: 'graph-unavailable' as const };
  return { status: 502, body: { ...error, message: problem.message, ...report } };
}

export const GRAPH_NOT_CONFIGURED = {
  error: 'graph-not-configured',
  message: 'Usage sync reads Microsoft Graph: set AZURE_CLIENT_ID with AZURE_CLIENT_SECRET or AZURE_CLIENT_CERTIFICATE_PATH (see the README).',
} as const satisfies ErrorBody;
