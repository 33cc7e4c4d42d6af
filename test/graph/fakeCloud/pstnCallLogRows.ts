import { randomUUID } from 'node:crypto';

/**
 * A `pstnCallLogRow` as Graph's getPstnCalls returns it (every field of v1.0, with its
 * documentation's kind of values): by default an outbound domestic call charged to
 * Communications Credits (MCOPSTNPP), started `minutesAgo` before `now`.
 */
export function pstnCallLogRow(now: number, minutesAgo: number, overrides: Record<string, unknown> = {}): Record<string, unknown> {
  const start = now - minutesAgo * 60_000;
  const duration = (overrides.duration as number | undefined) ?? 219;
  return {
    id: randomUUID(),
    callId: `${Math.floor(Math.random() * 2e9)}_${Math.floor(Math.random() * 2e8)}@61.221.3.176`,
    userId: 'db03c14b-06eb-4189-939b-7cbf3a20ba27',
    userPrincipalName: 'richard.malk@contoso.example',
    userDisplayName: 'Richard Malk',
    startDateTime: new Date(start).toISOString().replace('Z', '2589Z'),
    endDateTime: new Date(start + duration * 1000).toISOString().replace('Z', '2589Z'),
    duration,
    charge: 0.12,
    callType: 'user_out',
    currency: 'USD',
    calleeNumber: '+1425555xxxx',
    usageCountryCode: 'US',
    tenantCountryCode: 'US',
    connectionCharge: 0,
    callerNumber: '+1206555xxxx',
    destinationContext: 'Domestic',
    destinationName: 'United States',
    conferenceId: null,
    licenseCapability: 'MCOPSTNPP',
    inventoryType: 'Subscriber',
    operator: 'Microsoft',
    callDurationSource: 'microsoft',
    otherPartyCountryCode: 'us',
    ...overrides,
  };
}
