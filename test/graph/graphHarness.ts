import { inject } from 'vitest';
import type { GraphSettings } from '../../bot/graph/graphSettings.js';
import type { RetryPolicy } from '../../bot/graph/retryTransientFailures.js';
import { TenantGraphClients } from '../../bot/graph/tenantGraphClients.js';
import { FakeMicrosoftCloud } from './fakeCloud/fakeMicrosoftCloud.js';

export const HOME_TENANT = 'f0000000-0000-4000-8000-000000000001';
export const SENDER = 'notices@operator.example';

/** Quick retries, so throttling and faults cost milliseconds (a Retry-After is still honoured). */
export const FAST_RETRIES: RetryPolicy = { attempts: 4, baseDelayMs: 5, maxDelayMs: 20, maxRetryAfterMs: 5_000, requestTimeoutMs: 5_000 };

export function startFakeCloud(): Promise<FakeMicrosoftCloud> {
  return FakeMicrosoftCloud.start(inject('fakeCloudTls'));
}

/** Settings pointing the real Graph client and @azure/identity at the fake, as the environment would. */
export function fakeCloudSettings(cloud: FakeMicrosoftCloud, overrides: Partial<GraphSettings> = {}): GraphSettings {
  return {
    clientId: cloud.clientId,
    credential: { kind: 'secret', secret: cloud.clientSecret },
    homeTenantId: HOME_TENANT,
    authorityHost: cloud.baseUrl,
    baseUrl: cloud.baseUrl,
    mailSender: SENDER,
    ...overrides,
  };
}

export function fakeCloudClients(cloud: FakeMicrosoftCloud, overrides: Partial<GraphSettings> = {}): TenantGraphClients {
  return new TenantGraphClients(fakeCloudSettings(cloud, overrides), FAST_RETRIES);
}
