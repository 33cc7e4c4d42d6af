import { z } from 'zod';

/** The bodies of `GET /healthz` and `GET /readyz` (`health.ts`), for its answers and the API's description. */

export const Live = z.strictObject({ status: z.literal('ok') });
export type Live = z.infer<typeof Live>;
export const NotLive = z.strictObject({
  status: z.literal('unavailable'),
  reason: z.string().describe('What failed (file paths cut).'),
});
export type NotLive = z.infer<typeof NotLive>;
export const Ready = z.strictObject({ status: z.literal('ready') });
export type Ready = z.infer<typeof Ready>;
export const NotReady = z.strictObject({
  status: z.literal('not-ready'),
  problems: z.array(
    z.strictObject({
      check: z.string().describe('What was checked: "store", or "start-up" while the bot starts (the reason says what it is doing).'),
      reason: z.string(),
    }),
  ),
});
export type NotReady = z.infer<typeof NotReady>;
