import type pg from 'pg';

/**
 * A statement of every bot turn, prepared once per connection under `name` (its text must never
 * change), so the server parses and plans it once instead of at every turn. Only for statements
 * whose best plan does not depend on the values.
 */
export function named(name: string, text: string, values: unknown[]): pg.QueryConfig {
  return { name, text, values };
}
