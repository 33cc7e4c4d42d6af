import type { Request, Response, Server } from 'restify';
import type { ErrorBody } from '../http/errorAnswers.js';
import type { Log } from '../log.js';
import { sendJournalCsv } from '../operatorApi/routes.js';
import type { LedgerService } from '../../services/ledgerService.js';
import type { Clock } from '../../services/ports.js';
import { JOURNAL_EXPORT_PATH, verifyExportToken } from './exportLink.js';

export interface ExportRouteDeps {
  ledger: LedgerService;
  secret: string;
  clock: Clock;
  log: Log;
}

/**
 * `GET /api/exports/journal.csv?t=<token>`: the journal CSV an admin asked for in Teams. No
 * operator key: the signed token is the authorisation, and the tenant comes from it alone.
 */
export function registerExportRoutes(server: Server, deps: ExportRouteDeps): void {
  server.get(JOURNAL_EXPORT_PATH, async (req: Request, res: Response) => {
    const token = typeof req.query?.t === 'string' ? req.query.t : '';
    const check = verifyExportToken(deps.secret, token, deps.clock.now());
    if (!check.ok) return void res.send(403, { error: check.error } satisfies ErrorBody);
    deps.log.info({ tenantId: check.grant.tenantId, actor: check.grant.actor }, 'journal exported through a signed link');
    await sendJournalCsv(deps, req, res, check.grant.tenantId);
  });
}
