-- Up Migration

-- Several instances on one database: each alert reaches each recipient once, and each periodic
-- duty runs on one instance at a time, once per period.

-- Who already got an alert still in the outbox, one row per recipient (a Teams conversation, a
-- mailbox), written right after the send and before the alert is acknowledged. Acknowledging
-- deletes the outbox row and, by the cascade, these.
CREATE TABLE alert_deliveries (
  tenant_id text NOT NULL,
  alert_no bigint NOT NULL,
  recipient text NOT NULL,
  delivered_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, alert_no, recipient),
  FOREIGN KEY (tenant_id, alert_no) REFERENCES alert_outbox (tenant_id, alert_no) ON DELETE CASCADE
);

-- A tenant's alerts are delivered by one instance at a time (so they arrive in the order raised):
-- the holder until lease_until. A claim is taken with SELECT … FOR UPDATE SKIP LOCKED on this row
-- when its lease has ended, renewed while the holder delivers, and given up when it is done; an
-- instance that dies stops renewing and its claim is taken over once the lease ends.
CREATE TABLE alert_claims (
  tenant_id text NOT NULL,
  holder text,
  lease_until timestamptz NOT NULL DEFAULT '-infinity',
  PRIMARY KEY (tenant_id)
);

-- When each periodic duty last started on any instance, so that N instances run it once per
-- period rather than N times. A tenant's duty (its Graph usage sync) is that tenant's row; a duty of
-- the whole deployment (the sweep) has the empty tenant_id.
CREATE TABLE duty_runs (
  tenant_id text NOT NULL,
  name text NOT NULL,
  last_started_at timestamptz NOT NULL,
  PRIMARY KEY (tenant_id, name)
);
