-- Up Migration

-- Calls are nearly all of a journal. The other entries (money in and out, settings, recharges,
-- notices) get an index of their own, so the balance card finds the latest money movements in one
-- short read instead of reading back through the calls between them. Calls are not in it, so
-- taking usage pays nothing for it. IF NOT EXISTS: an operator with a large journal may build it
-- first with CREATE INDEX CONCURRENTLY (see the README), which does not block writes.
CREATE INDEX IF NOT EXISTS journal_besides_calls ON journal (tenant_id, entry_no) WHERE kind <> 'usage';
