/**
 * A name for each statement text, so that pg prepares it once per connection and afterwards sends
 * only its parameters: the server parses and plans it once instead of at every call. The texts
 * are built from fixed parts (values always go as parameters), so there are only a few of them.
 */
export function statementName(text: string): string {
  let name = names.get(text);
  if (name === undefined) {
    name = `ledger_${names.size + 1}`;
    names.set(text, name);
  }
  return name;
}

const names = new Map<string, string>();
