import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { writeFileAtomically } from '../../data/durableJsonFile.js';
import type { Mailer, OutgoingMail } from './mailer.js';
import { toRfc5322 } from './mimeMessage.js';

/**
 * The default mail transport: each notice is an RFC 5322 `.eml` file in `DATA_DIR/outbox/`,
 * written atomically and named after the mail's id, so sending it again rewrites the same file.
 */
export class OutboxMailer implements Mailer {
  constructor(
    readonly folder: string,
    private readonly messageIdDomain = 'comms-credits.local',
  ) {}

  async send(mail: OutgoingMail): Promise<void> {
    await mkdir(this.folder, { recursive: true });
    await writeFileAtomically(this.fileFor(mail.id), toRfc5322(mail, this.messageIdDomain));
  }

  fileFor(mailId: string): string {
    return path.join(this.folder, `${mailId.replace(/[^A-Za-z0-9._-]/g, '_')}.eml`);
  }
}
