-- Reserving a place in the hourly cap in one round trip: the statement's own transaction
-- holds the recipient's advisory lock only while the function runs, instead of across the
-- several round trips of a client-side transaction (every replica's sends to one
-- recipient queue on that lock).
CREATE FUNCTION outbox_hourly_cap_reserve(p_recipient text, p_limit bigint, p_window_secs bigint)
RETURNS TABLE (reserved_second bigint, wait_ms bigint)
LANGUAGE plpgsql AS $$
DECLARE
    now_s  double precision := extract(epoch FROM clock_timestamp());
    taken  bigint;
    oldest bigint;
BEGIN
    -- Lock class "xcap", the recipient's hash: the same key as any other reservation.
    PERFORM pg_advisory_xact_lock(2019778928, hashtext(p_recipient));
    -- A second's places are free once the whole second is a window old.
    DELETE FROM outbox_hourly_sends
    WHERE recipient = p_recipient AND second + 1 + p_window_secs <= now_s;
    SELECT coalesce(sum(sent), 0), min(second) FILTER (WHERE sent > 0)
    INTO taken, oldest
    FROM outbox_hourly_sends WHERE recipient = p_recipient;
    IF taken < p_limit THEN
        reserved_second := floor(now_s)::bigint;
        wait_ms := NULL;
        INSERT INTO outbox_hourly_sends (recipient, second, sent)
        VALUES (p_recipient, reserved_second, 1)
        ON CONFLICT (recipient, second) DO UPDATE SET sent = outbox_hourly_sends.sent + 1;
    ELSE
        reserved_second := NULL;
        wait_ms := greatest(0, ceil(
            ((coalesce(oldest, floor(now_s)::bigint) + 1 + p_window_secs) - now_s) * 1000))::bigint;
    END IF;
    RETURN NEXT;
END
$$;
