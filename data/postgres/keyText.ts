/**
 * Key text as PostgreSQL can hold it. A `text` column cannot hold U+0000, and a lone UTF-16
 * surrogate would reach the server as U+FFFD, so two different keys could become one. Such a key
 * (and any key starting with `"`) is stored as its JSON string form, which starts with `"`; every
 * other key is stored as it is. So the mapping is one-to-one and ordinary keys read as themselves.
 */
export function keyText(key: string): string {
  return key.startsWith('"') || UNSTORABLE.test(key) ? JSON.stringify(key) : key;
}

/** U+0000, or a surrogate without its pair. */
const UNSTORABLE = /\u0000|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** The key a `keyText` value stands for. */
export function keyFromText(text: string): string {
  return text.startsWith('"') ? (JSON.parse(text) as string) : text;
}
