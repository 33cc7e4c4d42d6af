import type pg from 'pg';

/**
 * A query under a name given to its text, so that pg prepares it once per connection and
 * afterwards sends only its parameters: the server parses and plans it once instead of at every
 * call. Texts are built from fixed parts (values always go as parameters), so there are few. Only
 * for statements whose best plan does not depend on the values.
 */
export function prepared(text: string, values: unknown[]): pg.QueryConfig {
  let name = names.get(text);
  if (name === undefined) {
    name = `statement_${names.size + 1}`;
    names.set(text, name);
  }
  return { name, text, values };
}

const names = new Map<string, string>();
