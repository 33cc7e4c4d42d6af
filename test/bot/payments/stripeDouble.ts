import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import Stripe from 'stripe';

/** How a saved test card behaves when charged, as Stripe's test cards do. */
export type CardBehaviour = 'succeed' | 'card_declined' | 'insufficient_funds' | 'expired_card' | 'requires_action' | 'authentication_required';

export const DOUBLE_KEY = 'sk_test_double0123456789';
export const DOUBLE_WEBHOOK_SECRET = 'whsec_double0123456789abcdef';

type Json = Record<string, any>;

/**
 * A local Stripe: the few endpoints the gateway uses, answering in the shapes of Stripe's API
 * reference (objects, lists with `has_more`, errors as `{error: {type, code, decline_code,
 * message, payment_intent}}` with 402 for card errors), form-encoded requests, the secret key
 * checked, and idempotency keys replayed or refused (another body) as Stripe does. The real
 * `stripe` library talks to it over plain HTTP (STRIPE_API_BASE).
 */
export async function startStripeDouble(options: { now?: () => number } = {}) {
  const now = () => Math.floor((options.now?.() ?? Date.now()) / 1000);
  let sequence = 0;
  const id = (prefix: string) => `${prefix}_${(++sequence).toString().padStart(6, '0')}`;
  const customers = new Map<string, Json>();
  const sessions = new Map<string, Json>();
  const setupIntents = new Map<string, Json>();
  const methods = new Map<string, Json & { behaviour: CardBehaviour }>();
  const intents = new Map<string, Json>();
  const refunds = new Map<string, Json>();
  const idempotency = new Map<string, { body: string; status: number; answer: Json }>();
  const requests: Array<{ method: string; path: string; idempotencyKey: string | null; params: Json }> = [];
  let base = '';

  const cardError = (intent: Json, code: string, declineCode: string | null, message: string) => {
    intent.status = 'requires_payment_method';
    intent.last_payment_error = { type: 'card_error', code, decline_code: declineCode, message, payment_method: { id: intent.payment_method } };
    return { status: 402, answer: { error: { type: 'card_error', code, decline_code: declineCode ?? undefined, message, payment_intent: { ...intent } } } };
  };

  /** Confirms a PaymentIntent with its card, as Stripe does off-session (or on-session with a return_url). */
  function attempt(intent: Json, onSession: boolean): { status: number; answer: Json } {
    const method = methods.get(intent.payment_method);
    if (!method)
      return {
        status: 400,
        answer: { error: { type: 'invalid_request_error', code: 'resource_missing', param: 'payment_method', message: 'No such PaymentMethod' } },
      };
    switch (method.behaviour) {
      case 'succeed':
        return succeed(intent);
      case 'card_declined':
        return cardError(intent, 'card_declined', 'generic_decline', 'Your card was declined.');
      case 'insufficient_funds':
        return cardError(intent, 'card_declined', 'insufficient_funds', 'Your card has insufficient funds.');
      case 'expired_card':
        return cardError(intent, 'expired_card', 'expired_card', 'Your card has expired.');
      case 'authentication_required':
        if (!onSession)
          return cardError(intent, 'authentication_required', 'authentication_required', 'Your card was declined. This transaction requires authentication.');
        return holdForAuthentication(intent);
      case 'requires_action':
        return holdForAuthentication(intent);
    }
  }
  function succeed(intent: Json) {
    intent.status = 'succeeded';
    intent.amount_received = intent.amount;
    intent.last_payment_error = null;
    intent.next_action = null;
    return { status: 200, answer: { ...intent } };
  }
  function holdForAuthentication(intent: Json) {
    intent.status = 'requires_action';
    intent.next_action = { type: 'redirect_to_url', redirect_to_url: { url: `${base}/3ds/${intent.id}`, return_url: intent.return_url ?? null } };
    return { status: 200, answer: { ...intent } };
  }
  const notFound = (what: string) => ({
    status: 404,
    answer: { error: { type: 'invalid_request_error', code: 'resource_missing', message: `No such ${what}` } },
  });
  const list = (items: Json[], params: Json, url: string) => {
    const limit = Number(params.limit ?? 10);
    let sorted = items.sort((a, b) => b.created - a.created || (b.id < a.id ? -1 : 1));
    if (params.starting_after) sorted = sorted.slice(sorted.findIndex((i) => i.id === params.starting_after) + 1);
    return { status: 200, answer: { object: 'list', url, has_more: sorted.length > limit, data: sorted.slice(0, limit) } };
  };
  const createdSince = (item: Json, params: Json) => params.created?.gte === undefined || item.created >= Number(params.created.gte);

  function route(method: string, path: string, params: Json): { status: number; answer: Json } {
    let m: RegExpExecArray | null;
    if (method === 'POST' && path === '/v1/customers') {
      const customer = {
        id: id('cus'),
        object: 'customer',
        created: now(),
        description: params.description ?? null,
        metadata: params.metadata ?? {},
        livemode: false,
      };
      customers.set(customer.id, customer);
      return { status: 200, answer: customer };
    }
    if (method === 'POST' && path === '/v1/checkout/sessions') {
      if (!customers.has(params.customer)) return notFound('customer');
      const setup = {
        id: id('seti'),
        object: 'setup_intent',
        created: now(),
        customer: params.customer,
        status: 'requires_payment_method',
        payment_method: null,
        metadata: params.setup_intent_data?.metadata ?? {},
        usage: 'off_session',
      };
      setupIntents.set(setup.id, setup);
      const session = {
        id: id('cs_test'),
        object: 'checkout.session',
        created: now(),
        mode: params.mode,
        customer: params.customer,
        currency: params.currency ?? null,
        locale: params.locale ?? null,
        status: 'open',
        setup_intent: setup.id,
        success_url: params.success_url,
        cancel_url: params.cancel_url,
        metadata: params.metadata ?? {},
        url: `${base}/c/pay/${sequence}`,
      };
      sessions.set(session.id, session);
      return { status: 200, answer: session };
    }
    if (method === 'GET' && (m = /^\/v1\/setup_intents\/([^/]+)$/.exec(path))) {
      const setup = setupIntents.get(m[1]!);
      if (!setup) return notFound('setup_intent');
      const expanded = [params.expand].flat().includes('payment_method') && setup.payment_method;
      return { status: 200, answer: { ...setup, payment_method: expanded ? publicMethod(methods.get(setup.payment_method)!) : setup.payment_method } };
    }
    if (method === 'POST' && path === '/v1/payment_intents') {
      if (!customers.has(params.customer)) return notFound('customer');
      const intent: Json = {
        id: id('pi'),
        object: 'payment_intent',
        created: now(),
        amount: Number(params.amount),
        amount_received: 0,
        currency: params.currency,
        customer: params.customer,
        payment_method: params.payment_method,
        description: params.description ?? null,
        metadata: params.metadata ?? {},
        status: 'requires_confirmation',
        next_action: null,
        last_payment_error: null,
        livemode: false,
      };
      intents.set(intent.id, intent);
      return params.confirm === 'true' ? attempt(intent, params.off_session !== 'true') : { status: 200, answer: { ...intent } };
    }
    if (method === 'GET' && path === '/v1/payment_intents') {
      return list(
        [...intents.values()].filter((i) => (!params.customer || i.customer === params.customer) && createdSince(i, params)).map((i) => ({ ...i })),
        params,
        path,
      );
    }
    if ((m = /^\/v1\/payment_intents\/([^/]+)(\/confirm)?$/.exec(path))) {
      const intent = intents.get(m[1]!);
      if (!intent) return notFound('payment_intent');
      if (method === 'GET') return { status: 200, answer: { ...intent } };
      if (params.payment_method) intent.payment_method = params.payment_method;
      if (params.return_url) intent.return_url = params.return_url;
      return attempt(intent, true);
    }
    if (method === 'POST' && path === '/v1/refunds') {
      const intent = intents.get(params.payment_intent);
      if (!intent) return notFound('payment_intent');
      const refunded = [...refunds.values()].filter((r) => r.payment_intent === intent.id).reduce((sum, r) => sum + r.amount, 0);
      const amount = Number(params.amount ?? intent.amount_received - refunded);
      if (intent.status !== 'succeeded')
        return {
          status: 400,
          answer: { error: { type: 'invalid_request_error', code: 'charge_not_refundable', message: 'This PaymentIntent has not succeeded.' } },
        };
      if (amount > intent.amount_received - refunded)
        return {
          status: 400,
          answer: { error: { type: 'invalid_request_error', code: 'amount_too_large', message: 'Refund amount is greater than unrefunded amount on charge.' } },
        };
      const refund = {
        id: id('re'),
        object: 'refund',
        created: now(),
        amount,
        currency: intent.currency,
        payment_intent: intent.id,
        status: 'succeeded',
        metadata: params.metadata ?? {},
      };
      refunds.set(refund.id, refund);
      return { status: 200, answer: refund };
    }
    if (method === 'GET' && path === '/v1/refunds')
      return list(
        [...refunds.values()]
          .filter((r) => createdSince(r, params) && (!params.payment_intent || r.payment_intent === params.payment_intent))
          .map((r) => ({ ...r })),
        params,
        path,
      );
    return { status: 404, answer: { error: { type: 'invalid_request_error', message: `Unrecognized request URL (${method}: ${path}).` } } };
  }

  const publicMethod = (method: Json) => {
    const { behaviour: _behaviour, ...rest } = method;
    return rest;
  };

  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const url = new URL(req.url ?? '/', 'http://double');
      const body = Buffer.concat(chunks).toString('utf8');
      const params = formToObject(req.method === 'GET' ? url.search.slice(1) : body);
      const key = typeof req.headers['idempotency-key'] === 'string' ? req.headers['idempotency-key'] : null;
      requests.push({ method: req.method ?? '', path: url.pathname, idempotencyKey: key, params });
      const send = (status: number, answer: Json) => {
        res.writeHead(status, { 'content-type': 'application/json', 'request-id': `req_${sequence}` });
        res.end(JSON.stringify(answer));
      };
      if (req.headers.authorization !== `Bearer ${DOUBLE_KEY}`)
        return send(401, { error: { type: 'invalid_request_error', message: 'Invalid API Key provided.' } });
      if (key && req.method === 'POST') {
        const first = idempotency.get(key);
        if (first && first.body !== `${url.pathname}?${body}`)
          return send(400, {
            error: { type: 'idempotency_error', message: 'Keys for idempotent requests can only be used with the same parameters they were first used with.' },
          });
        if (first) return send(first.status, first.answer);
      }
      const { status, answer } = route(req.method ?? 'GET', url.pathname, params);
      if (key && req.method === 'POST') idempotency.set(key, { body: `${url.pathname}?${body}`, status, answer });
      send(status, answer);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  let eventSequence = 0;
  const event = (type: string, object: Json, created = now()): Stripe.Event =>
    ({
      id: `evt_${++eventSequence}_${type.replace(/\W/g, '')}`,
      object: 'event',
      api_version: '2026-11-18.endive',
      created,
      livemode: false,
      pending_webhooks: 1,
      request: { id: null, idempotency_key: null },
      type,
      data: { object: { ...object } },
    }) as unknown as Stripe.Event;

  return {
    base,
    requests,
    customers,
    sessions,
    intents,
    refunds,
    /** The admin saves a card on the Checkout page of `sessionUrl`: the session completes, its SetupIntent succeeds; the events Stripe would send. */
    saveCard(sessionUrl: string, card: { brand?: string; last4?: string; expMonth?: number; expYear?: number; behaviour?: CardBehaviour } = {}) {
      const session = [...sessions.values()].find((s) => s.url === sessionUrl);
      if (!session) throw new Error(`no checkout session at ${sessionUrl}`);
      const method = {
        id: id('pm'),
        object: 'payment_method',
        created: now(),
        type: 'card',
        customer: session.customer,
        card: { brand: card.brand ?? 'visa', last4: card.last4 ?? '4242', exp_month: card.expMonth ?? 12, exp_year: card.expYear ?? 2034, funding: 'credit' },
        behaviour: card.behaviour ?? 'succeed',
      };
      methods.set(method.id, method);
      const setup = setupIntents.get(session.setup_intent)!;
      Object.assign(setup, { status: 'succeeded', payment_method: method.id });
      Object.assign(session, { status: 'complete' });
      return {
        method,
        completed: event('checkout.session.completed', session),
        succeeded: event('setup_intent.succeeded', setup),
      };
    },
    /** Stripe forgets idempotency keys after 24 hours: from now on each key is new to it. */
    forgetIdempotencyKeys() {
      idempotency.clear();
    },
    /** Changes how a saved card behaves from now on (the bank starts declining it…). */
    setBehaviour(methodId: string, behaviour: CardBehaviour) {
      methods.get(methodId)!.behaviour = behaviour;
    },
    /** The cardholder confirms (or fails) 3-D Secure on the bank's page: the PaymentIntent succeeds (or fails); Stripe's event. */
    authenticate(intentId: string, passed = true) {
      const intent = intents.get(intentId)!;
      if (passed) {
        succeed(intent);
        return event('payment_intent.succeeded', intent);
      }
      intent.status = 'requires_payment_method';
      intent.next_action = null;
      intent.last_payment_error = {
        type: 'invalid_request_error',
        code: 'payment_intent_authentication_failure',
        message: 'The provided PaymentMethod has failed authentication.',
        payment_method: { id: intent.payment_method },
      };
      return event('payment_intent.payment_failed', intent);
    },
    event,
    /** Signs `event` as Stripe does (or with `secret`, or at `timestamp`) and posts it to the bot's webhook route. */
    async deliver(botBase: string, stripeEvent: Stripe.Event | string, sign: { secret?: string; timestamp?: number; header?: string | null } = {}) {
      const payload = typeof stripeEvent === 'string' ? stripeEvent : JSON.stringify(stripeEvent);
      const header =
        sign.header === undefined
          ? Stripe.webhooks.generateTestHeaderString({
              payload,
              secret: sign.secret ?? DOUBLE_WEBHOOK_SECRET,
              ...(sign.timestamp ? { timestamp: sign.timestamp } : {}),
            })
          : sign.header;
      const response = await fetch(`${botBase}/api/stripe/webhook`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...(header === null ? {} : { 'stripe-signature': header }) },
        body: payload,
      });
      return { status: response.status, body: (await response.json()) as Json };
    },
    /** The settings that point the bot at this double. */
    env: {
      PAYMENT_GATEWAY: 'stripe',
      STRIPE_SECRET_KEY: DOUBLE_KEY,
      STRIPE_WEBHOOK_SECRET: DOUBLE_WEBHOOK_SECRET,
      STRIPE_API_BASE: base,
      BOT_DOMAIN: 'bot.contoso.test',
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

export type StripeDouble = Awaited<ReturnType<typeof startStripeDouble>>;

/** `a[b][c]=v&e[0]=f` as Stripe reads its form bodies: nested objects, arrays for numeric keys. */
function formToObject(text: string): Json {
  const out: Json = {};
  for (const [name, value] of new URLSearchParams(text)) {
    const path = name.split(/\[|\]\[|\]/).filter((part) => part !== '');
    let node: any = out;
    path.forEach((part, i) => {
      if (i === path.length - 1) {
        if (Array.isArray(node)) node.push(value);
        else node[part] = value;
        return;
      }
      const nextIsIndex = /^\d+$/.test(path[i + 1]!);
      node[part] ??= nextIsIndex ? [] : {};
      node = node[part];
    });
  }
  return out;
}
