import PostalMime, { type Address, type Email } from 'postal-mime';

/**
 * The `.eml` files the outbox writes, read by postal-mime: a parser this project did not write, so
 * a mistake in the MIME the bot writes is not mirrored by a mistake in how the tests read it.
 */
export const readEml = (raw: string): Promise<Email> => PostalMime.parse(raw);

/** A header's value as written (unfolded, not decoded). */
export const headerOf = (mail: Email, name: string): string | undefined => mail.headers.find((h) => h.key === name.toLowerCase())?.value;

/** Whether the mail is addressed to `address`. */
export const isTo = (mail: Email, address: string): boolean => (mail.to ?? []).some((a: Address) => a.address === address);
