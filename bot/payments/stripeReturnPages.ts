import type { Server } from 'restify';
import { strings } from '../../cards/i18n/index.js';

/** Where Stripe sends the admin back to, on the bot's own public address (`BOT_DOMAIN`). */
export const RETURN_PATHS = {
  cardSaved: '/payments/card-saved',
  setupCancelled: '/payments/setup-cancelled',
  authenticated: '/payments/authenticated',
} as const;

/**
 * The pages an admin lands on after Stripe's Checkout page or the bank's 3-D Secure page: a line
 * saying what happened and to go back to Teams, in the admin's language (`?lang=`). They change
 * nothing: what happened reaches the ledger through Stripe's signed webhooks only.
 */
export function registerStripeReturnPages(server: Server): void {
  const page = (path: string, text: (t: ReturnType<typeof strings>) => string) =>
    server.get(path, async (req, res) => {
      const lang = typeof req.query?.lang === 'string' ? req.query.lang : null;
      const t = strings(lang);
      const html = `<!doctype html><html lang="${lang === 'zh-CN' ? 'zh-CN' : 'en'}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>${t.stripe.returnTitle}</title></head><body style="font-family: system-ui, sans-serif; margin: 3rem auto; max-width: 32rem;"><h1>${t.stripe.returnTitle}</h1><p>${text(t)}</p></body></html>`;
      res.writeHead(200, {
        'content-type': 'text/html; charset=utf-8',
        'cache-control': 'no-store',
        'content-security-policy': "default-src 'none'; style-src 'unsafe-inline'",
      });
      res.end(html);
    });
  page(RETURN_PATHS.cardSaved, (t) => t.stripe.returnCardSaved);
  page(RETURN_PATHS.setupCancelled, (t) => t.stripe.returnCancelled);
  page(RETURN_PATHS.authenticated, (t) => t.stripe.returnAuthenticated);
}
