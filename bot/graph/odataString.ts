/** A value as an OData string literal inside a `$filter`: quoted, with quotes doubled. */
export const odataString = (value: string): string => `'${value.replace(/'/g, "''")}'`;
