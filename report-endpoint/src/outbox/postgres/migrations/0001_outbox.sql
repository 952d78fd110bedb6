-- The outbox of sealed emails: ciphertext and the routing data needed to send it, nothing
-- else (no client address, no tip text, no subject).
CREATE TABLE outbox (
    id              bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    sender          text        NOT NULL,
    recipient       text        NOT NULL,
    message_id      text        NOT NULL,
    email           bytea       NOT NULL,
    created_at      timestamptz NOT NULL DEFAULT clock_timestamp(),
    attempts        integer     NOT NULL DEFAULT 0,
    next_attempt_at timestamptz NOT NULL DEFAULT clock_timestamp(),
    lease_until     timestamptz NOT NULL DEFAULT '-infinity',
    last_error      text
);
-- Ciphertext does not compress: store it out of line without trying.
ALTER TABLE outbox ALTER COLUMN email SET STORAGE EXTERNAL;
CREATE INDEX outbox_due ON outbox (next_attempt_at, id);
CREATE INDEX outbox_retrying ON outbox (attempts) WHERE attempts > 0;

-- The per-recipient hourly cap, shared by every replica: emails accepted (or being sent)
-- per recipient per second of the database's clock, for the last hour.
CREATE TABLE outbox_hourly_sends (
    recipient text    NOT NULL,
    second    bigint  NOT NULL,
    sent      integer NOT NULL CHECK (sent >= 0),
    PRIMARY KEY (recipient, second)
);

-- What the health check writes when the last enqueue failed for lack of room.
CREATE TABLE outbox_write_probe (
    id    integer     PRIMARY KEY CHECK (id = 1),
    at    timestamptz NOT NULL,
    room  bytea       NOT NULL
);
-- Zeros compress: out of line and uncompressed, the probe writes as much as a tip.
ALTER TABLE outbox_write_probe ALTER COLUMN room SET STORAGE EXTERNAL;
