/**
 * The Adaptive Card 1.5 JSON this project sends, as types, and small builders for it. Only what
 * Teams renders at 1.5: no images (the bot may run offline), no 1.6 properties.
 */

import type { Chart } from './charts.js';

export const CARD_SCHEMA = 'http://adaptivecards.io/schemas/adaptive-card.json';
export const CARD_VERSION = '1.5';

export type Spacing = 'none' | 'small' | 'default' | 'medium' | 'large' | 'extraLarge' | 'padding';
export type TextSize = 'small' | 'default' | 'medium' | 'large' | 'extraLarge';
export type TextColor = 'default' | 'dark' | 'light' | 'accent' | 'good' | 'warning' | 'attention';
export type ContainerStyle = 'default' | 'emphasis' | 'good' | 'attention' | 'warning' | 'accent';
export type HorizontalAlignment = 'left' | 'center' | 'right';

interface ElementBase {
  id?: string;
  spacing?: Spacing;
  separator?: boolean;
}

export interface TextBlock extends ElementBase {
  type: 'TextBlock';
  text: string;
  wrap: true;
  size?: TextSize;
  weight?: 'lighter' | 'default' | 'bolder';
  color?: TextColor;
  isSubtle?: boolean;
  fontType?: 'default' | 'monospace';
  horizontalAlignment?: HorizontalAlignment;
  maxLines?: number;
}

export interface Fact {
  title: string;
  value: string;
}

export interface FactSet extends ElementBase {
  type: 'FactSet';
  facts: Fact[];
}

export interface Container extends ElementBase {
  type: 'Container';
  items: CardElement[];
  style?: ContainerStyle;
  bleed?: boolean;
}

export interface Column extends ElementBase {
  type: 'Column';
  items: CardElement[];
  width: 'auto' | 'stretch' | number;
  verticalContentAlignment?: 'top' | 'center' | 'bottom';
}

export interface ColumnSet extends ElementBase {
  type: 'ColumnSet';
  columns: Column[];
}

export interface ActionSet extends ElementBase {
  type: 'ActionSet';
  actions: CardAction[];
}

export interface InputText extends ElementBase {
  type: 'Input.Text';
  id: string;
  label: string;
  value?: string;
  placeholder?: string;
  maxLength?: number;
  isRequired?: boolean;
  errorMessage?: string;
}

export interface InputToggle extends ElementBase {
  type: 'Input.Toggle';
  id: string;
  title: string;
  label?: string;
  value: 'true' | 'false';
  valueOn: 'true';
  valueOff: 'false';
  wrap?: boolean;
}

/** Teams' chart elements (`charts.ts`): each carries a fallback for hosts that do not draw charts. */
export type CardElement = TextBlock | FactSet | Container | ColumnSet | ActionSet | InputText | InputToggle | Chart;

export type ActionStyle = 'default' | 'positive' | 'destructive';

/** The data every card button sends: its verb, so Action.Submit and Action.Execute route alike. */
export type ActionDataJson = { verb: string } & Record<string, string | boolean>;

export interface SubmitAction {
  type: 'Action.Submit';
  title: string;
  data: ActionDataJson;
  style?: ActionStyle;
  associatedInputs?: 'auto' | 'none';
}

export interface ExecuteAction {
  type: 'Action.Execute';
  title: string;
  verb: string;
  data: ActionDataJson;
  style?: ActionStyle;
  associatedInputs?: 'auto' | 'none';
  /** For hosts without Universal Actions: the same button as Action.Submit. */
  fallback: SubmitAction;
}

export interface OpenUrlAction {
  type: 'Action.OpenUrl';
  title: string;
  url: string;
  style?: ActionStyle;
}

/** A button that unfolds a card of further buttons below: the overflow ("More") of a busy card. */
export interface ShowCardAction {
  type: 'Action.ShowCard';
  title: string;
  card: { type: 'AdaptiveCard'; body: CardElement[]; actions?: CardAction[] };
}

export type CardAction = ExecuteAction | OpenUrlAction | ShowCardAction;

export interface AdaptiveCard {
  type: 'AdaptiveCard';
  $schema: typeof CARD_SCHEMA;
  version: typeof CARD_VERSION;
  /** Universal Actions: what Teams invokes to show `userIds` the card as it is now. */
  refresh?: CardRefresh;
  body: CardElement[];
  actions?: CardAction[];
}

/** Teams runs `action` when one of `userIds` (Teams user ids, at most 60) opens the card, and shows the card the bot answers. */
export interface CardRefresh {
  action: ExecuteAction;
  userIds: string[];
}

type Options<T, K extends keyof T> = Omit<T, 'type' | K>;

export const textBlock = (text: string, options: Options<TextBlock, 'text' | 'wrap'> = {}): TextBlock => ({
  type: 'TextBlock',
  text,
  wrap: true,
  ...options,
});

/** Small grey text: notes, ids, times. */
export const note = (text: string, options: Options<TextBlock, 'text' | 'wrap'> = {}): TextBlock =>
  textBlock(text, { size: 'small', isSubtle: true, spacing: 'small', ...options });

export const factSet = (facts: Fact[], options: Options<FactSet, 'facts'> = {}): FactSet => ({ type: 'FactSet', facts, ...options });

export const container = (items: CardElement[], options: Options<Container, 'items'> = {}): Container => ({
  type: 'Container',
  items,
  ...options,
});

export const column = (items: CardElement[], width: Column['width'], options: Options<Column, 'items' | 'width'> = {}): Column => ({
  type: 'Column',
  width,
  items,
  ...options,
});

export const columnSet = (columns: Column[], options: Options<ColumnSet, 'columns'> = {}): ColumnSet => ({
  type: 'ColumnSet',
  columns,
  ...options,
});

export const actionSet = (actions: CardAction[], options: Options<ActionSet, 'actions'> = {}): ActionSet => ({
  type: 'ActionSet',
  actions,
  ...options,
});

/** A card's title band: bold title on the emphasis (or a tone's) background, optional subtitle. */
export function header(title: string, subtitle?: string, style: ContainerStyle = 'emphasis'): Container {
  const items: CardElement[] = [textBlock(title, { size: 'medium', weight: 'bolder' })];
  if (subtitle) items.push(note(subtitle));
  return container(items, { style, bleed: true });
}

/** A titled group of elements with a separator above it; nothing when there is nothing to show. */
export function section(title: string, items: CardElement[]): Container[] {
  if (items.length === 0) return [];
  return [container([textBlock(title, { weight: 'bolder', spacing: 'none' }), ...items], { separator: true, spacing: 'medium' })];
}

export const openUrlAction = (title: string, url: string): OpenUrlAction => ({ type: 'Action.OpenUrl', title, url });

/** A row of at most `MAX_ROW_ACTIONS` buttons: the first ones as they are, the rest behind a "More" that unfolds them. */
export function withOverflow(actions: CardAction[], moreTitle: string): CardAction[] {
  if (actions.length <= MAX_ROW_ACTIONS) return actions;
  const shown = actions.slice(0, MAX_ROW_ACTIONS - 1);
  return [...shown, { type: 'Action.ShowCard', title: moreTitle, card: { type: 'AdaptiveCard', body: [], actions: actions.slice(MAX_ROW_ACTIONS - 1) } }];
}

/** Buttons one row shows before they are cut or wrapped on a phone. */
export const MAX_ROW_ACTIONS = 4;

/** Every card: 1.5, schema, body; actions only when there are some. */
export function adaptiveCard(body: CardElement[], actions: CardAction[] = []): AdaptiveCard {
  const card: AdaptiveCard = { type: 'AdaptiveCard', $schema: CARD_SCHEMA, version: CARD_VERSION, body };
  if (actions.length > 0) card.actions = actions;
  return card;
}

/** Shortens text a person or a system supplied (names, destinations) so no card grows unbounded. */
export function clip(text: string, max = 60): string {
  const chars = [...text.replace(/\s+/g, ' ').trim()];
  return chars.length <= max ? chars.join('') : `${chars.slice(0, max - 1).join('')}…`;
}
