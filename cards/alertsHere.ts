import { executeAction } from './action.js';
import { adaptiveCard, clip, container, header, note, textBlock, type AdaptiveCard } from './elements.js';
import { localize, type Reader } from './format.js';
import { renderMessageCard } from './message.js';
import type { AlertsHereViewModel } from './viewModels.js';
import { Verb } from './verbs.js';

/**
 * Alerts in a shared conversation (SPEC §2): the confirmation that every member will see balances
 * and alerts, with the button that subscribes the conversation; and the answers after it.
 */
export function renderAlertsHereCard(vm: AlertsHereViewModel, reader: Reader): AdaptiveCard {
  const { t, f } = localize(reader);
  const s = t.alertsHere;
  switch (vm.state) {
    case 'offer':
      return adaptiveCard(
        [
          header(s.offerTitle),
          container([textBlock(vm.scope === 'channel' ? s.everyoneInChannel : s.everyoneInGroupChat, { weight: 'bolder' })], {
            style: 'warning',
            spacing: 'medium',
          }),
          textBlock(s.whatIsPosted, { spacing: 'medium' }),
          note(s.adminsKeepTheirs),
        ],
        [executeAction({ verb: Verb.alertsHereConfirm, title: s.confirm, style: 'positive', ignoreInputs: true })],
      );
    case 'subscribed':
      return renderMessageCard({
        title: s.subscribedTitle,
        text: s.subscribed(vm.by ? clip(vm.by, 40) : s.someone, t.common.atTime(f.dateTime(vm.at), f.zoneName)),
        tone: 'good',
      });
    case 'unsubscribed':
      return renderMessageCard({ title: s.unsubscribedTitle, text: s.unsubscribed, tone: 'good' });
    case 'not-subscribed':
      return renderMessageCard({ title: s.notSubscribedTitle, text: s.notSubscribed, tone: 'info' });
    case 'personal':
      return renderMessageCard({ title: s.personalTitle, text: s.personal, tone: 'info' });
  }
}

/** The card's title: "Post billing alerts here?", "Alerts are posted here", … */
export function alertsHereSummary(vm: AlertsHereViewModel, reader: Reader): string {
  const s = localize(reader).t.alertsHere;
  const titles = {
    offer: s.offerTitle,
    subscribed: s.subscribedTitle,
    unsubscribed: s.unsubscribedTitle,
    'not-subscribed': s.notSubscribedTitle,
    personal: s.personalTitle,
  };
  return titles[vm.state];
}
