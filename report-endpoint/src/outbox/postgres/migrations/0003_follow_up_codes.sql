-- Lookup keys of follow-up codes (HMAC-SHA-256 of the code under the endpoint's secret)
-- and the last day (days since 1970-01-01, UTC) each code works. Nothing else: not the
-- code, not the reference code, no time of day, nothing about the tipster.
CREATE TABLE follow_up_codes (
    lookup_key bytea   PRIMARY KEY CHECK (length(lookup_key) = 32),
    last_day   integer NOT NULL
);
CREATE INDEX follow_up_codes_expiry ON follow_up_codes (last_day);
