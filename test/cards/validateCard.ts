import { createRequire } from 'node:module';
import { chartProblems, isChartType } from './chartSchemas.js';

/**
 * Checks a card the way a 1.5 host would read it, with the `adaptivecards` library itself: any
 * parse event (unknown element or action, bad value, property newer than 1.5), any failure of
 * `validateProperties()` (duplicate ids, inputs without labels, too many actions), plus what the
 * library lets through silently: properties it does not know (typos are ignored by hosts),
 * images or icons from the internet, a payload over Teams' 28 KB, and Action.Execute buttons
 * whose data or Action.Submit fallback do not match. Teams' chart elements, which the library
 * does not know, are checked against their documented shapes (`chartSchemas.ts`) and must have a
 * fallback. Shared by the card and bot tests.
 */

// The package's main entry needs a DOM; its UMD bundle parses and validates without one.
const require = createRequire(import.meta.url);
const AC = require('adaptivecards/dist/adaptivecards.js') as typeof import('adaptivecards');

/** Teams refuses activities over about 28 KB; the card is most of one. */
export const MAX_CARD_BYTES = 28 * 1024;

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type JsonObject = { [key: string]: Json };

const isObject = (value: unknown): value is JsonObject => typeof value === 'object' && value !== null && !Array.isArray(value);

/** Properties the library parses by hand (so not in its schemas), per type. */
const COLLECTIONS: Record<string, string[]> = {
  AdaptiveCard: ['body', 'actions'],
  Container: ['items'],
  Column: ['items'],
  ColumnSet: ['columns'],
  ActionSet: ['actions'],
  'Action.ShowCard': ['card'],
};

export function cardBytes(card: unknown): number {
  return Buffer.byteLength(JSON.stringify(card), 'utf8');
}

/** Every problem found, as readable lines; empty means the card is valid. */
export function cardProblems(card: unknown): string[] {
  const problems: string[] = [];
  if (!isObject(card)) return ['the card is not a JSON object'];
  if (card.type !== 'AdaptiveCard') problems.push(`type is ${JSON.stringify(card.type)}, not "AdaptiveCard"`);
  if (card.version !== '1.5') problems.push(`version is ${JSON.stringify(card.version)}, not "1.5"`);
  if (typeof card.$schema !== 'string') problems.push('$schema is missing');
  const bytes = cardBytes(card);
  if (bytes >= MAX_CARD_BYTES) problems.push(`the card is ${bytes} bytes, Teams' limit is ${MAX_CARD_BYTES}`);

  const parsed = new AC.AdaptiveCard();
  const context = new AC.SerializationContext(AC.Versions.v1_5);
  context.targetVersion = AC.Versions.v1_5;
  parsed.parse(card, context);
  for (let i = 0; i < context.eventCount; i++) {
    const event = context.getEventAt(i);
    // The library does not know Teams' charts; they are checked against their documented shapes instead.
    if (event.event === AC.ValidationEvent.UnknownElementType && /"Chart\.[A-Za-z.]+"/.test(event.message)) continue;
    problems.push(`parse: ${AC.ValidationEvent[event.event]}: ${event.message}`);
  }
  for (const event of parsed.validateProperties().validationEvents) {
    problems.push(`validate: ${AC.ValidationEvent[event.event]}: ${event.message}`);
  }

  checkProperties(card, 'card', '$', problems);
  for (const { action, path } of actionsWithPaths(card)) checkExecute(action, path, problems);
  return problems;
}

/** Throws with every problem listed, so a test failure says what to fix. */
export function expectValidCard(card: unknown, name = 'card'): void {
  const problems = cardProblems(card);
  if (problems.length > 0) throw new Error(`${name} is not a valid Adaptive Card 1.5:\n  ${problems.join('\n  ')}`);
}

type Kind = 'card' | 'element' | 'action' | 'column' | 'fact' | 'choice';

function instanceFor(kind: Kind, type: string | undefined): { getSchema(): { getCount(): number; getItemAt(i: number): { name: string } } } | undefined {
  switch (kind) {
    case 'card':
      return new AC.AdaptiveCard();
    case 'column':
      return new AC.Column();
    case 'fact':
      return new AC.Fact();
    case 'choice':
      return new AC.Choice();
    case 'element':
      return type ? AC.GlobalRegistry.elements.createInstance(type, AC.Versions.v1_5) : undefined;
    case 'action':
      return type ? AC.GlobalRegistry.actions.createInstance(type, AC.Versions.v1_5) : undefined;
  }
}

function checkProperties(json: Json, kind: Kind, path: string, problems: string[]): void {
  if (!isObject(json)) {
    problems.push(`${path}: expected an object`);
    return;
  }
  const type = typeof json.type === 'string' ? json.type : kind === 'column' ? 'Column' : undefined;
  if (kind === 'element' && isChartType(type)) {
    problems.push(...chartProblems(json, path));
    if (isObject(json.fallback)) checkProperties(json.fallback, 'element', `${path}.fallback`, problems);
    return;
  }
  const instance = instanceFor(kind, type);
  if (!instance) {
    problems.push(`${path}: unknown ${kind} type ${JSON.stringify(json.type)}`);
    return;
  }
  const schema = instance.getSchema();
  const known = new Set<string>(['fallback', ...(COLLECTIONS[kind === 'card' ? 'AdaptiveCard' : (type ?? '')] ?? [])]);
  for (let i = 0; i < schema.getCount(); i++) known.add(schema.getItemAt(i).name);
  for (const key of Object.keys(json)) {
    if (!known.has(key)) problems.push(`${path}: ${type ?? kind} has no property "${key}" in Adaptive Cards 1.5`);
  }
  for (const key of ['url', 'iconUrl', 'backgroundImage']) {
    if (key in json && type !== 'Action.OpenUrl') problems.push(`${path}: ${key} loads an image from the internet`);
  }
  const each = (key: string, childKind: Kind) => {
    const list = json[key];
    if (list === undefined) return;
    if (!Array.isArray(list)) return problems.push(`${path}.${key}: expected an array`);
    list.forEach((child, i) => checkProperties(child, childKind, `${path}.${key}[${i}]`, problems));
  };
  each('body', 'element');
  each('items', 'element');
  each('actions', 'action');
  if (type === 'ColumnSet') each('columns', 'column');
  each('facts', 'fact');
  each('choices', 'choice');
  if (isObject(json.selectAction)) checkProperties(json.selectAction, 'action', `${path}.selectAction`, problems);
  if (type === 'Action.ShowCard') {
    if (isObject(json.card)) checkProperties(json.card, 'card', `${path}.card`, problems);
    else problems.push(`${path}: Action.ShowCard without a card`);
  }
  if (isObject(json.fallback)) checkProperties(json.fallback, kind, `${path}.fallback`, problems);
}

function checkExecute(action: JsonObject, path: string, problems: string[]): void {
  if (action.type !== 'Action.Execute') return;
  const { verb, data, fallback, title } = action;
  if (typeof verb !== 'string' || verb === '') problems.push(`${path}: Action.Execute without a verb`);
  if (!isObject(data)) return void problems.push(`${path}: Action.Execute without object data`);
  if (data.verb !== verb) problems.push(`${path}: data.verb ${JSON.stringify(data.verb)} differs from verb ${JSON.stringify(verb)}`);
  if (!isObject(fallback) || fallback.type !== 'Action.Submit') return void problems.push(`${path}: no Action.Submit fallback`);
  if (fallback.title !== title) problems.push(`${path}: fallback title differs`);
  if (JSON.stringify(fallback.data) !== JSON.stringify(data)) problems.push(`${path}: fallback data differs from the Execute data`);
  if (fallback.associatedInputs !== action.associatedInputs) problems.push(`${path}: fallback sends different inputs`);
}

function actionsWithPaths(node: Json, path = '$', out: Array<{ action: JsonObject; path: string }> = []) {
  if (Array.isArray(node)) node.forEach((child, i) => actionsWithPaths(child, `${path}[${i}]`, out));
  else if (isObject(node)) {
    if (typeof node.type === 'string' && node.type.startsWith('Action.')) {
      out.push({ action: node, path });
      // Its fallback is checked with it; a ShowCard's card holds more actions.
      if (node.type === 'Action.ShowCard' && isObject(node.card)) actionsWithPaths(node.card, `${path}.card`, out);
      return out;
    }
    for (const [key, child] of Object.entries(node)) if (key !== 'data') actionsWithPaths(child, `${path}.${key}`, out);
  }
  return out;
}

/** Every action of a card (card actions and those in ActionSets), fallbacks not counted. */
export function cardActions(card: unknown): JsonObject[] {
  return actionsWithPaths(card as Json).map(({ action }) => action);
}

/** Every Action.Execute of a card. */
export function executeActions(card: unknown): Array<JsonObject & { verb: string; data: JsonObject; title: string }> {
  return cardActions(card).filter((a) => a.type === 'Action.Execute') as Array<JsonObject & { verb: string; data: JsonObject; title: string }>;
}

/** Every input element of a card. */
export function cardInputs(card: unknown): JsonObject[] {
  const out: JsonObject[] = [];
  const walk = (node: Json): void => {
    if (Array.isArray(node)) node.forEach(walk);
    else if (isObject(node)) {
      if (typeof node.type === 'string' && node.type.startsWith('Input.')) out.push(node);
      for (const [key, child] of Object.entries(node)) if (key !== 'data' && key !== 'fallback') walk(child);
    }
  };
  walk(card as Json);
  return out;
}

/** Every string a person sees: texts, fact titles and values, labels, button titles. */
export function cardTexts(card: unknown): string[] {
  const out: string[] = [];
  const visible = new Set(['text', 'title', 'value', 'label', 'placeholder', 'errorMessage']);
  const walk = (node: Json): void => {
    if (Array.isArray(node)) node.forEach(walk);
    else if (isObject(node)) {
      for (const [key, child] of Object.entries(node)) {
        if (key === 'data' || key === 'fallback' || key === 'verb' || key === 'id') continue;
        if (typeof child === 'string' && visible.has(key)) out.push(child);
        else walk(child);
      }
    }
  };
  walk(card as Json);
  return out;
}

/** All visible text joined, for `toContain` assertions. */
export const cardText = (card: unknown): string => cardTexts(card).join('\n');
