import path from 'node:path';

/**
 * Where the ledger keeps its files under the data folder (format 2):
 *
 *   LOCK                         pid of the owning process
 *   wal/<n>.log                  write-ahead log segments, one sealed line per transaction, numbered
 *                                consecutively (`seq`) across segments, which are numbered without gaps
 *   checkpoint.json              the WAL position the last complete checkpoint covers
 *   accounts/<tenant>.json       each tenant's account as of its last checkpoint
 *   outbox.json                  alerts not yet acknowledged, as of the last checkpoint
 *   journal/<tenant>/<s>.jsonl   the tenant's journal entries, 10,000 per segment, one sealed line each
 *   journal/<tenant>/usage-keys.<g>.bin  the tenant's usage key fingerprints: blocks of 12-byte
 *                                records (hi, lo, day, little-endian), each block with its count and
 *                                CRC-32; generation g is named, with its length, by the account document
 *
 * A sealed line is `<CRC-32 of the JSON, 8 hex digits> <JSON>` (sealedLine.ts); the three documents
 * are one sealed line each. Format 1 had plain JSON lines and documents and bare key records, with no
 * checksums; it is refused (no deployment used it). Files and folders not listed here are not the
 * store's: recovery leaves them alone.
 */
export class DataLayout {
  readonly walFolder: string;
  readonly accountsFolder: string;
  readonly journalFolder: string;
  readonly checkpointFile: string;
  readonly outboxFile: string;

  constructor(readonly root: string) {
    this.walFolder = path.join(root, 'wal');
    this.accountsFolder = path.join(root, 'accounts');
    this.journalFolder = path.join(root, 'journal');
    this.checkpointFile = path.join(root, 'checkpoint.json');
    this.outboxFile = path.join(root, 'outbox.json');
  }

  walSegmentFile(segment: number): string {
    return path.join(this.walFolder, `${segment}.log`);
  }

  accountFile(tenantFileName: string): string {
    return path.join(this.accountsFolder, `${tenantFileName}.json`);
  }

  tenantJournalFolder(tenantFileName: string): string {
    return path.join(this.journalFolder, tenantFileName);
  }
}
