import { describe, expect, it } from 'vitest';
import { adminConsentUrl, authorityHostFor, graphScope } from '../../bot/graph/cloudEndpoints.js';
import { graphSettings } from '../../bot/graph/graphSettings.js';
import { loadConfig } from '../../bot/config.js';

describe('national clouds', () => {
  it.each([
    ['worldwide', 'https://graph.microsoft.com', 'https://login.microsoftonline.com'],
    ['US Government L4', 'https://graph.microsoft.us', 'https://login.microsoftonline.us'],
    ['US Government L5 (DoD)', 'https://dod-graph.microsoft.us', 'https://login.microsoftonline.us'],
    ['China, operated by 21Vianet', 'https://microsoftgraph.chinacloudapi.cn', 'https://login.chinacloudapi.cn'],
  ])('%s: the authority follows from the Graph base URL', (_cloud, graph, authority) => {
    expect(authorityHostFor(graph, null)).toBe(authority);
    expect(graphScope(graph)).toBe(`${graph}/.default`);
  });

  it('uses AZURE_AUTHORITY_HOST when set', () => {
    expect(authorityHostFor('https://graph.microsoft.us', 'https://login.microsoftonline.us/')).toBe('https://login.microsoftonline.us');
  });

  it('links each tenant to its admin-consent page in its cloud', () => {
    expect(adminConsentUrl('https://login.chinacloudapi.cn', 'c0ffee00-0000-4000-8000-000000000001', 'app id')).toBe(
      'https://login.chinacloudapi.cn/c0ffee00-0000-4000-8000-000000000001/adminconsent?client_id=app%20id',
    );
  });
});

describe('Graph settings from the environment', () => {
  const settings = (env: Record<string, string>) => graphSettings(loadConfig(env).graph);

  it('is off without AZURE_CLIENT_ID', () => {
    expect(settings({ AZURE_CLIENT_SECRET: 'x' })).toBeNull();
  });

  it('reads the credential the way @azure/identity does: secret, else certificate, else managed identity', () => {
    expect(settings({ AZURE_CLIENT_ID: 'app', AZURE_CLIENT_SECRET: 's', AZURE_CLIENT_CERTIFICATE_PATH: '/c.pem' })?.credential).toEqual({
      kind: 'secret',
      secret: 's',
    });
    expect(settings({ AZURE_CLIENT_ID: 'app', AZURE_CLIENT_CERTIFICATE_PATH: '/c.pem' })?.credential).toEqual({
      kind: 'certificate',
      certificatePath: '/c.pem',
    });
    expect(settings({ AZURE_CLIENT_ID: 'app', AZURE_TENANT_ID: 'home' })?.credential).toEqual({ kind: 'managed-identity' });
  });

  it('points a US Government deployment at its own Graph and sign-in', () => {
    expect(settings({ AZURE_CLIENT_ID: 'app', AZURE_CLIENT_SECRET: 's', GRAPH_BASE_URL: 'https://graph.microsoft.us/' })).toMatchObject({
      baseUrl: 'https://graph.microsoft.us',
      authorityHost: 'https://login.microsoftonline.us',
    });
  });

  it('refuses combinations that cannot work, saying what is missing', () => {
    expect(() => settings({ AZURE_CLIENT_ID: 'app' })).toThrow(/managed identity.*AZURE_TENANT_ID/);
    expect(() => settings({ AZURE_CLIENT_ID: 'app', AZURE_CLIENT_SECRET: 's', GRAPH_MAIL_SENDER: 'n@x.example' })).toThrow(
      /GRAPH_MAIL_SENDER needs AZURE_TENANT_ID/,
    );
  });
});
