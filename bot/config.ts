import 'dotenv/config';
import { z } from 'zod';
import { canonicalTenantId } from '../services/tenantId.js';

/**
 * The only reader of `process.env` (and `.env`). Every setting the bot knows is here, typed and
 * validated once at start; a bad value stops the start with a message that names it.
 */
// At most 9 digits before the point, so an amount fits the ledger's range (services/money.ts MAX_MINOR) in any currency.
const decimal = z.string().regex(/^\d{1,9}(\.\d+)?$/, 'a decimal amount such as 10.00, below 1,000,000,000');
const csv = z
  .string()
  .optional()
  .transform((v) =>
    (v ?? '')
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean),
  );
/** A tenant id as the ledger keys it: a GUID in lower case, however it was written. */
const tenantId = z.string().min(1).transform(canonicalTenantId);

const Env = z
  .object({
    PORT: z.coerce.number().int().min(0).max(65535).default(3978),
    HOST: z.string().optional(),
    DATA_DIR: z.string().min(1).default('.data'),
    DEFAULT_CURRENCY: z
      .string()
      .regex(/^[A-Z]{3}$/, 'an ISO 4217 code such as USD')
      .default('USD'),
    DEFAULT_TENANT_ID: tenantId.default('local'),
    ADMIN_USER_IDS: csv,
    OPERATOR_API_KEY: z.string().optional(),
    EXPORT_LINK_SECRET: z.string().optional(),
    LOW_BALANCE_ALERT: decimal.default('10.00'),
    MIN_ADDITION: decimal.default('10.00'),
    MAX_ADDITION: decimal.default('10000.00'),
    MAX_USAGE_CHARGE: decimal.default('10000.00'),
    USAGE_WINDOW_DAYS: z.coerce.number().int().min(1).max(3650).default(90),
    OFFER_LIFETIME_HOURS: z.coerce
      .number()
      .positive()
      .max(24 * 30)
      .default(24),
    RATES_FILE: z.string().optional(),
    SWEEP_MINUTES: z.coerce.number().positive().default(60),
    ALERT_LEASE_SECONDS: z.coerce.number().min(1).max(3600).default(30),
    CHECKPOINT_SECONDS: z.coerce.number().positive().default(2),
    DATABASE_URL: z
      .string()
      .regex(/^postgres(ql)?:\/\//, 'a PostgreSQL URL such as postgres://user:password@host:5432/database')
      .optional(),
    DATABASE_POOL_SIZE: z.coerce.number().int().min(1).max(1000).default(10),
    PGSSLMODE: z.enum(['disable', 'allow', 'prefer', 'require', 'verify-ca', 'verify-full', 'no-verify']).optional(),
    MicrosoftAppId: z.string().optional(),
    MicrosoftAppPassword: z.string().optional(),
    MicrosoftAppType: z.enum(['MultiTenant', 'SingleTenant', 'UserAssignedMSI']).optional(),
    MicrosoftAppTenantId: z.string().optional(),
    AZURE_CLIENT_ID: z.string().optional(),
    AZURE_CLIENT_SECRET: z.string().optional(),
    AZURE_CLIENT_CERTIFICATE_PATH: z.string().optional(),
    AZURE_TENANT_ID: tenantId.optional(),
    AZURE_AUTHORITY_HOST: z.string().url().optional(),
    GRAPH_BASE_URL: z.string().url().default('https://graph.microsoft.com'),
    GRAPH_MAIL_SENDER: z.string().optional(),
    GRAPH_SYNC_MINUTES: z.coerce.number().positive().default(60),
    GRAPH_TENANT_IDS: csv.transform((ids) => ids.map(canonicalTenantId)),
    MAIL_FROM: z.string().optional(),
    TEAMS_APP_ID: z.guid('a GUID such as 3f2a8c1e-5b7d-4e9a-9c1f-2d4e6a8b0c1d').optional(),
    BOT_DOMAIN: z
      .string()
      .regex(/^[A-Za-z0-9.-]+$/, 'a host name such as bot.contoso.com')
      .optional(),
    PAYMENT_GATEWAY: z.enum(['sandbox', 'stripe']).default('sandbox'),
    STRIPE_SECRET_KEY: z
      .string()
      .regex(/^(sk|rk)_(test|live)_[A-Za-z0-9]{10,}$/, 'a Stripe secret or restricted key such as sk_test_… or sk_live_…')
      .optional(),
    STRIPE_WEBHOOK_SECRET: z
      .string()
      .regex(/^whsec_[A-Za-z0-9+/=]{10,}$/, "a webhook endpoint's signing secret such as whsec_…")
      .optional(),
    STRIPE_API_BASE: z.url({ protocol: /^https?$/, error: 'an http(s) URL such as https://api.stripe.com' }).default('https://api.stripe.com'),
    SHUTDOWN_SECONDS: z.coerce.number().positive().default(10),
    LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
    NODE_ENV: z.string().optional(),
  })
  .superRefine((e, ctx) => {
    if (e.PAYMENT_GATEWAY !== 'stripe') return;
    const required = { STRIPE_SECRET_KEY: e.STRIPE_SECRET_KEY, STRIPE_WEBHOOK_SECRET: e.STRIPE_WEBHOOK_SECRET, BOT_DOMAIN: e.BOT_DOMAIN };
    for (const [name, value] of Object.entries(required)) {
      if (!value) ctx.addIssue({ code: 'custom', path: [name], message: 'required with PAYMENT_GATEWAY=stripe' });
    }
  });

export type Config = ReturnType<typeof loadConfig>;

export function loadConfig(env: NodeJS.ProcessEnv = process.env) {
  const parsed = Env.safeParse(stripEmpty(env));
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ');
    throw new Error(`Invalid configuration: ${problems}`);
  }
  const e = parsed.data;
  return {
    port: e.PORT,
    /** Without app credentials the bot listens on loopback only. */
    host: e.HOST ?? (e.MicrosoftAppId ? '0.0.0.0' : '127.0.0.1'),
    dataDir: e.DATA_DIR,
    defaultCurrency: e.DEFAULT_CURRENCY,
    defaultTenantId: e.DEFAULT_TENANT_ID,
    adminUserIds: e.ADMIN_USER_IDS,
    operatorApiKey: e.OPERATOR_API_KEY ?? null,
    /** Signs the admins' CSV download links (bot/exports/exportLink.ts); null: derived from the app password, else random at start. */
    exportLinkSecret: e.EXPORT_LINK_SECRET ?? null,
    ledger: {
      lowBalanceAlert: e.LOW_BALANCE_ALERT,
      minAddition: e.MIN_ADDITION,
      maxAddition: e.MAX_ADDITION,
      maxUsageCharge: e.MAX_USAGE_CHARGE,
      usageWindowDays: e.USAGE_WINDOW_DAYS,
      offerLifetimeHours: e.OFFER_LIFETIME_HOURS,
    },
    ratesFile: e.RATES_FILE ?? null,
    sweepMinutes: e.SWEEP_MINUTES,
    /** How long an instance's claim on a tenant's alerts lasts unless renewed: how soon another instance takes over after it died. */
    alertLeaseMs: e.ALERT_LEASE_SECONDS * 1000,
    checkpointMs: e.CHECKPOINT_SECONDS * 1000,
    /** PostgreSQL as the system of record when DATABASE_URL is set; otherwise the embedded store in DATA_DIR. */
    database: e.DATABASE_URL ? { url: withSslMode(e.DATABASE_URL, e.PGSSLMODE), poolSize: e.DATABASE_POOL_SIZE } : null,
    bot: {
      appId: e.MicrosoftAppId ?? '',
      appPassword: e.MicrosoftAppPassword ?? '',
      appType: e.MicrosoftAppType ?? 'SingleTenant',
      appTenantId: e.MicrosoftAppTenantId ?? '',
      /** With no app id the bot runs locally: no tokens, loopback only. */
      authenticated: Boolean(e.MicrosoftAppId),
    },
    /** The Teams app package (`npm run package`): its id defaults to one derived from the bot id. */
    teamsApp: {
      id: e.TEAMS_APP_ID ?? null,
      botDomain: e.BOT_DOMAIN ?? null,
    },
    /** Where money comes from: the sandbox's test cards, or Stripe (checked above to have its key, webhook secret and BOT_DOMAIN). */
    payments:
      e.PAYMENT_GATEWAY === 'stripe'
        ? {
            gateway: 'stripe' as const,
            secretKey: e.STRIPE_SECRET_KEY!,
            webhookSecret: e.STRIPE_WEBHOOK_SECRET!,
            /** The library's host, port and protocol: Stripe's API, or a local double in tests (STRIPE_API_BASE). */
            api: stripeApi(e.STRIPE_API_BASE),
            publicBaseUrl: `https://${e.BOT_DOMAIN!}`,
          }
        : { gateway: 'sandbox' as const },
    /** After SIGTERM or SIGINT, how long requests, turns and commits under way may take before the process gives up on them. */
    shutdownMs: e.SHUTDOWN_SECONDS * 1000,
    /** JSON log lines on stdout; readable ones in development at a terminal (see bot/log.ts). */
    log: {
      level: e.LOG_LEVEL,
      production: e.NODE_ENV === 'production',
    },
    /** Sender of the notice emails (the `.eml` outbox, and Graph's sendMail later). */
    mailFrom: e.MAIL_FROM ?? e.GRAPH_MAIL_SENDER ?? 'Communications Credits <credits-bot@localhost>',
    graph: {
      configured: Boolean(e.AZURE_CLIENT_ID),
      clientId: e.AZURE_CLIENT_ID ?? null,
      /** The app's home tenant: the one of the mailbox that sends notices. */
      homeTenantId: e.AZURE_TENANT_ID ?? null,
      clientSecret: e.AZURE_CLIENT_SECRET ?? null,
      certificatePath: e.AZURE_CLIENT_CERTIFICATE_PATH ?? null,
      authorityHost: e.AZURE_AUTHORITY_HOST ?? null,
      baseUrl: e.GRAPH_BASE_URL.replace(/\/+$/, ''),
      mailSender: e.GRAPH_MAIL_SENDER ?? null,
      syncMinutes: e.GRAPH_SYNC_MINUTES,
      tenantIds: e.GRAPH_TENANT_IDS,
    },
  };
}

function stripeApi(base: string): { host: string; port: number; protocol: 'http' | 'https' } {
  const url = new URL(base);
  const protocol = url.protocol === 'http:' ? 'http' : 'https';
  return { host: url.hostname, port: url.port ? Number(url.port) : protocol === 'http' ? 80 : 443, protocol };
}

/** PGSSLMODE applies, as in libpq, when the URL does not say `sslmode` itself. */
function withSslMode(url: string, sslmode: string | undefined): string {
  if (!sslmode || /[?&]sslmode=/.test(url)) return url;
  return `${url}${url.includes('?') ? '&' : '?'}sslmode=${sslmode}`;
}

function stripEmpty(env: NodeJS.ProcessEnv): Record<string, string> {
  return Object.fromEntries(Object.entries(env).filter((kv): kv is [string, string] => kv[1] !== undefined && kv[1] !== ''));
}
