import type { Activity } from 'botbuilder';
import { canonicalTimeZone } from '../../cards/index.js';
import { TenantId } from '../operatorApi/schemas.js';
import type { KnownConversation } from '../../data/conversationReferences.js';
import type { Turn } from '../handlers/handlerDeps.js';

export interface TenantRules {
  defaultTenantId: string;
  /** Without app credentials any activity without a tenant (Playground in webchat mode, say) is the default tenant's. */
  localMode: boolean;
}

/**
 * The tenant an activity belongs to: Teams puts it in `conversation.tenantId` and
 * `channelData.tenant.id`. The Emulator sends none, so its activities (and, locally, any without
 * one) belong to `DEFAULT_TENANT_ID`. A GUID comes back in lower case (one tenant, one account).
 * Null: no tenant the bot can trust, so no data.
 */
export function tenantOf(activity: Partial<Activity>, rules: TenantRules): string | null {
  const channelData = activity.channelData as { tenant?: { id?: unknown } } | undefined;
  const candidates = [activity.conversation?.tenantId, channelData?.tenant?.id];
  const found = candidates.find((id): id is string => typeof id === 'string' && id.length > 0);
  if (found) {
    const parsed = TenantId.safeParse(found);
    return parsed.success ? parsed.data : null;
  }
  return activity.channelId === 'emulator' || rules.localMode ? rules.defaultTenantId : null;
}

/** Who is asking, where, in which language and time zone, from the activity alone. */
export function turnFrom(activity: Partial<Activity>, tenantId: string): Turn {
  const from = activity.from;
  return {
    tenantId,
    conversation: conversationOf(activity),
    user: {
      id: from?.id ?? 'unknown',
      aadObjectId: typeof from?.aadObjectId === 'string' && from.aadObjectId ? from.aadObjectId : null,
      name: typeof from?.name === 'string' && from.name.trim() ? from.name.trim() : null,
    },
    locale: typeof activity.locale === 'string' && activity.locale ? activity.locale : null,
    timeZone: timeZoneOf(activity),
  };
}

/**
 * The client's time zone: Teams sends it in the `clientInfo` entity (`timezone`) and in
 * `localTimezone`; null when neither holds a zone Intl knows.
 */
export function timeZoneOf(activity: Partial<Activity>): string | null {
  const clientInfo = (Array.isArray(activity.entities) ? activity.entities : []).find((e) => e?.type === 'clientInfo') as { timezone?: unknown } | undefined;
  return canonicalTimeZone(clientInfo?.timezone) ?? canonicalTimeZone(activity.localTimezone);
}

/**
 * The conversation an activity came from: a personal chat, a team channel or a group chat. A
 * channel reply thread carries ";messageid=…"; the channel itself is the conversation.
 */
export function conversationOf(activity: Partial<Activity>): Pick<KnownConversation, 'id' | 'scope'> {
  const type = activity.conversation?.conversationType;
  const scope = type === 'channel' ? 'channel' : type === 'groupChat' ? 'groupChat' : 'personal';
  const id = activity.conversation?.id ?? '';
  return { id: scope === 'channel' ? id.split(';')[0]! : id, scope };
}
