import type { Server } from 'restify';
import type Stripe from 'stripe';
import { BODY_LIMITS, readUpTo } from '../http/jsonBody.js';
import type { Log } from '../log.js';
import type { StripeEventHandler } from './stripeEvents.js';

export const STRIPE_WEBHOOK_PATH = '/api/stripe/webhook';

/**
 * `POST /api/stripe/webhook`: Stripe's events, signed with the endpoint's secret. The route reads
 * the raw bytes itself (under a byte limit; nothing parses them first), and only an event whose
 * signature verifies over exactly those bytes, within Stripe's five-minute tolerance, is parsed
 * and acted on. Unsigned, wrongly signed and stale events get 400 and change nothing. The answer
 * comes once the ledger's write is durable: a failure answers 500, and Stripe delivers the event
 * again, so no event is acknowledged and then lost.
 */
export function registerStripeWebhook(server: Server, deps: { stripe: Stripe; secret: string; handler: StripeEventHandler; log: Log }): void {
  server.post(STRIPE_WEBHOOK_PATH, async (req, res) => {
    const signature = req.headers['stripe-signature'];
    if (typeof signature !== 'string' || signature === '') {
      res.send(400, { error: 'bad-signature', message: 'The Stripe-Signature header is missing.' });
      return;
    }
    const bytes = await readUpTo(req, BODY_LIMITS.stripeEvent);
    if (bytes === 'aborted') return;
    if (bytes === 'too-large') {
      res.send(413, { error: 'body-too-large', message: `The body must be at most ${BODY_LIMITS.stripeEvent} bytes.` });
      return;
    }
    let event: Stripe.Event;
    try {
      event = await deps.stripe.webhooks.constructEventAsync(bytes, signature, deps.secret);
    } catch {
      deps.log.warn({ reference: req.getId() }, 'a Stripe webhook with a bad or stale signature was refused');
      res.send(400, { error: 'bad-signature', message: 'The Stripe signature does not verify.' });
      return;
    }
    try {
      const handled = await deps.handler.handle(event);
      deps.log.info({ reference: req.getId(), eventId: event.id, type: event.type, handled }, 'Stripe webhook event');
      res.send(200, { received: true, handled });
    } catch (error) {
      deps.log.error(
        { reference: req.getId(), eventId: event.id, type: event.type, err: error },
        'a Stripe webhook event could not be acted on; Stripe will deliver it again',
      );
      res.send(500, { error: 'internal' });
    }
  });
}
