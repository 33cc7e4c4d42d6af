/**
 * Where a Graph deployment signs in. Each national cloud has its own Graph host and its own
 * Microsoft Entra authority; the authority follows from the Graph base URL unless set explicitly.
 */
const AUTHORITY_BY_GRAPH_HOST: Readonly<Record<string, string>> = {
  'graph.microsoft.com': 'https://login.microsoftonline.com',
  'graph.microsoft.us': 'https://login.microsoftonline.us',
  'dod-graph.microsoft.us': 'https://login.microsoftonline.us',
  'microsoftgraph.chinacloudapi.cn': 'https://login.chinacloudapi.cn',
};

const WORLDWIDE_AUTHORITY = 'https://login.microsoftonline.com';

export function authorityHostFor(graphBaseUrl: string, configuredAuthorityHost: string | null): string {
  const authority = configuredAuthorityHost ?? AUTHORITY_BY_GRAPH_HOST[new URL(graphBaseUrl).hostname.toLowerCase()] ?? WORLDWIDE_AUTHORITY;
  return authority.replace(/\/+$/, '');
}

/** App-only tokens ask for every application permission granted on this Graph: `{base}/.default`. */
export const graphScope = (graphBaseUrl: string): string => `${graphBaseUrl}/.default`;

/** The page where a tenant's admin grants the app its permissions. */
export function adminConsentUrl(authorityHost: string, tenantId: string, clientId: string): string {
  return `${authorityHost}/${encodeURIComponent(tenantId)}/adminconsent?client_id=${encodeURIComponent(clientId)}`;
}
