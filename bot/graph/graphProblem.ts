import { GraphError } from '@microsoft/microsoft-graph-client';
import type { GraphProblem } from '../../services/graphPorts.js';

/**
 * Sign-in errors that mean the tenant has not consented to the app (or has removed it):
 * 65001 consent not granted, 7000229 no service principal for the app, 700016 app not found in the
 * directory, 500011 resource principal not found in the tenant.
 */
const NO_CONSENT_SIGN_IN_ERRORS = new Set(['65001', '7000229', '700016', '500011']);

/**
 * What a failed Graph call means for the tenant. 401 and 403 (after a fresh token) mean the app
 * lacks the tenant's consent for what it asked; anything else is Graph being unavailable.
 */
export function graphProblem(error: unknown, consentUrl: string): GraphProblem {
  const text = describe(error);
  const signInError = /AADSTS(\d+)/.exec(text)?.[1];
  const status = error instanceof GraphError ? error.statusCode : -1;
  if ((signInError && NO_CONSENT_SIGN_IN_ERRORS.has(signInError)) || status === 401 || status === 403) {
    return { kind: 'no-consent', message: text, consentUrl };
  }
  return { kind: 'unavailable', message: text };
}

function describe(error: unknown): string {
  if (error instanceof GraphError) {
    // A sign-in failure reaches here wrapped, with the identity library's message in `body`.
    const detail = error.message || (typeof error.body === 'string' ? error.body : '');
    return error.statusCode > 0 ? `Graph answered ${error.statusCode} ${error.code ?? ''}: ${detail}`.replace(/\s+:/, ':') : detail || String(error.body);
  }
  return error instanceof Error ? error.message : String(error);
}
