import { TeamsActivityHandler, TurnContext, type InvokeResponse } from 'botbuilder';
import { strings } from '../../cards/index.js';
import type { AccessPolicy } from '../../services/access.js';
import { dispatchAction, dispatchText, type AccessCheck } from '../routes/dispatch.js';
import { refusal } from '../handlers/explainProblem.js';
import type { HandlerDeps, Reply, Turn } from '../handlers/handlerDeps.js';
import { showWelcome } from '../handlers/showHelp.js';
import { answerSubmit, invokeResponseFor, sendCard } from './cardReplies.js';
import type { ConversationTracker } from './conversationTracker.js';
import { tenantOf, turnFrom, type TenantRules } from './turnFromActivity.js';

export interface CreditsBotDeps {
  handlers: HandlerDeps;
  access: AccessPolicy;
  tracker: ConversationTracker;
  tenants: TenantRules;
  log?: Pick<Console, 'warn' | 'error'>;
}

/**
 * The Teams side, kept thin: it works out who is asking (tenant from the activity, never from card
 * data), hands text to the command routes and card buttons to the verb routes, and sends what they
 * answer as a card. Install and uninstall keep the conversation book current.
 */
export class CreditsBot extends TeamsActivityHandler {
  private readonly log: Pick<Console, 'warn' | 'error'>;

  constructor(private readonly deps: CreditsBotDeps) {
    super();
    this.log = deps.log ?? console;

    this.onTurn(async (context, next) => {
      const tenantId = tenantOf(context.activity, deps.tenants);
      if (tenantId && !isRemoval(context)) await deps.tracker.seen(context, tenantId);
      await next();
    });

    this.onMessage(async (context, next) => {
      await this.answerMessage(context);
      await next();
    });

    this.onMembersAdded(async (context, next) => {
      const botId = context.activity.recipient?.id;
      if (context.activity.membersAdded?.some((member) => member.id === botId)) {
        await sendCard(context, await showWelcome((await this.turnOf(context)) ?? this.anonymous(context)));
      }
      await next();
    });

    this.onMembersRemoved(async (context, next) => {
      if (isRemoval(context)) await this.forgetConversation(context);
      await next();
    });

    this.onInstallationUpdateRemove(async (context, next) => {
      await this.forgetConversation(context);
      await next();
    });
  }

  /** Free text goes to the command routes; an Action.Submit (a message whose value is the button's data) to the verb routes. */
  private async answerMessage(context: TurnContext): Promise<void> {
    const turn = await this.turnOf(context);
    if (!turn) return sendCard(context, refusal(this.anonymous(context), 'not-admin'));
    const value = context.activity.value as unknown;
    if (value && typeof value === 'object') {
      return answerSubmit(context, await dispatchAction(turn, this.deps.handlers, this.accessFor(turn), value), this.log);
    }
    await sendCard(context, await dispatchText(turn, this.deps.handlers, this.accessFor(turn), messageText(context)));
  }

  /** Action.Execute arrives as an `adaptiveCard/action` invoke; its answer travels in the invoke response. */
  protected override async onInvokeActivity(context: TurnContext): Promise<InvokeResponse> {
    if (context.activity.name !== 'adaptiveCard/action') {
      const response = await super.onInvokeActivity(context);
      // An invoke this bot does not implement is the caller's mistake, not a server error.
      return response.status === 501 ? { status: 400, body: { error: 'not-supported' } } : response;
    }
    try {
      const refresh = (context.activity.value as { trigger?: unknown } | undefined)?.trigger === 'automatic';
      return { status: 200, body: invokeResponseFor(await this.answerExecute(context), refresh) };
    } catch (error) {
      this.log.error('Card action failed', error);
      return {
        status: 200,
        body: { statusCode: 200, type: 'application/vnd.microsoft.activity.message', value: strings(context.activity.locale).errors.internal },
      };
    }
  }

  private async answerExecute(context: TurnContext): Promise<Reply> {
    const turn = await this.turnOf(context);
    if (!turn) return refusal(this.anonymous(context), 'not-admin');
    // The verb travels in `action.verb`; the button's data (merged with the card's inputs) in `action.data`.
    const action = (context.activity.value as { action?: { verb?: unknown; data?: unknown } } | undefined)?.action;
    const data = action?.data && typeof action.data === 'object' ? action.data : {};
    return dispatchAction(turn, this.deps.handlers, this.accessFor(turn), { ...data, verb: action?.verb ?? (data as { verb?: unknown }).verb });
  }

  private async turnOf(context: TurnContext): Promise<Turn | null> {
    const tenantId = tenantOf(context.activity, this.deps.tenants);
    if (!tenantId) return null;
    const turn = turnFrom(context.activity, tenantId);
    return turn.timeZone ? turn : { ...turn, timeZone: await this.deps.tracker.rememberedTimeZone(tenantId, context) };
  }

  /** The bot was removed: its conversation is forgotten (one of a tenant the bot cannot trust was never remembered). */
  private async forgetConversation(context: TurnContext): Promise<void> {
    const tenantId = tenantOf(context.activity, this.deps.tenants);
    if (tenantId) await this.deps.tracker.removed(context, tenantId);
  }

  /** For a reply to someone whose tenant the bot cannot trust: language only, no account. */
  private anonymous(context: TurnContext): Turn {
    return turnFrom(context.activity, '');
  }

  private accessFor(turn: Turn): AccessCheck {
    let decision: ReturnType<AccessCheck> | undefined;
    return () => (decision ??= this.deps.access.decide({ tenantId: turn.tenantId, aadObjectId: turn.user.aadObjectId, userId: turn.user.id }));
  }
}

/** The text with the bot's @mention removed (Teams channels include it); text that is not a string is none. */
function messageText(context: TurnContext): string {
  if (typeof context.activity.text !== 'string') return '';
  const text = TurnContext.removeRecipientMention(context.activity) ?? context.activity.text;
  return text.replace(/<at>[^<]*<\/at>/g, ' ').trim();
}

/** The bot itself leaving the conversation (uninstalled, removed from the team). */
function isRemoval(context: TurnContext): boolean {
  const { activity } = context;
  if (activity.type === 'installationUpdate') return activity.action === 'remove' || activity.action === 'remove-upgrade';
  return activity.type === 'conversationUpdate' && (activity.membersRemoved ?? []).some((m) => m.id === activity.recipient?.id);
}
