/**
 * The data folder holds something recovery cannot prove safe to use or to repair: a missing or
 * edited file, a gap in the log. Start-up stops before changing anything; the message names the
 * file and says what an operator can do.
 */
export class DamagedDataError extends Error {
  constructor(
    readonly file: string,
    readonly problem: string,
    readonly advice: string,
  ) {
    super(`The ledger data is damaged: ${file} ${problem}. ${advice} Nothing in the data folder was changed.`);
    this.name = 'DamagedDataError';
  }
}

/** Advice for a file an operator should bring back from a backup. */
export const RESTORE_FROM_BACKUP = 'Restore it from a backup of the data folder, or move the whole folder aside and start with an empty one.';

/** Advice for a data folder written by the store's first format, which had no checksums. */
export const OLD_FORMAT =
  'This data folder was written by an older version of the bot (format 1, without checksums), which this version cannot open; ' +
  'no deployment used it, so move the folder aside and start with an empty one.';
