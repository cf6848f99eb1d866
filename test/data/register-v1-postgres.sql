-- A register as grif wrote it before incoming numbers and the hash chain (schema 1), for the migration test.
CREATE TABLE IF NOT EXISTS carriers (
  id           text PRIMARY KEY,
  received_at  timestamptz NOT NULL,
  name         text NOT NULL,
  from_party   text NOT NULL CHECK (from_party IN ('KZ', 'KG')),
  to_party     text NOT NULL CHECK (to_party IN ('KZ', 'KG') AND to_party <> from_party),
  input_sha256 text NOT NULL CHECK (input_sha256 ~ '^[0-9a-f]{64}$'),
  kind         text NOT NULL CHECK (kind IN ('carrier', 'copy')),
  derived_from text,
  intake       text NOT NULL CHECK (intake IN ('inbox', 'http', 'cli')),
  inserted     bigint GENERATED ALWAYS AS IDENTITY,
  UNIQUE (input_sha256, from_party, to_party)
);
CREATE INDEX IF NOT EXISTS carriers_by_time ON carriers (received_at);
CREATE TABLE IF NOT EXISTS events (
  seq           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  carrier_id    text NOT NULL REFERENCES carriers (id),
  at            timestamptz NOT NULL,
  kind          text NOT NULL CHECK (kind IN ('verdict', 'stamped', 'unmarked', 'review', 'decision', 'rejected', 'duplicate')),
  level         text CHECK (level IS NULL OR level IN ('special-importance', 'top-secret', 'secret')),
  stamps        json NOT NULL CHECK (json_typeof(stamps) = 'array'),
  decided_by    text NOT NULL,
  reference     text,
  output_sha256 text CHECK (output_sha256 ~ '^[0-9a-f]{64}$'),
  output_path   text,
  detail        text,
  key           text UNIQUE
);
CREATE INDEX IF NOT EXISTS events_by_carrier ON events (carrier_id, seq);
CREATE OR REPLACE FUNCTION grif_register_refuse() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'the register is append-only: % on % refused', TG_OP, TG_TABLE_NAME USING ERRCODE = 'insufficient_privilege';
END $$;
CREATE OR REPLACE TRIGGER carriers_append_only BEFORE UPDATE OR DELETE ON carriers FOR EACH ROW EXECUTE FUNCTION grif_register_refuse();
CREATE OR REPLACE TRIGGER carriers_no_truncate BEFORE TRUNCATE ON carriers FOR EACH STATEMENT EXECUTE FUNCTION grif_register_refuse();
CREATE OR REPLACE TRIGGER events_append_only BEFORE UPDATE OR DELETE ON events FOR EACH ROW EXECUTE FUNCTION grif_register_refuse();
CREATE OR REPLACE TRIGGER events_no_truncate BEFORE TRUNCATE ON events FOR EACH STATEMENT EXECUTE FUNCTION grif_register_refuse();
BEGIN;
INSERT INTO carriers (id, received_at, name, from_party, to_party, input_sha256, kind, derived_from, intake) VALUES ('559aead08264d5795d3909718cdd05ab-KZ-KG', '2025-12-31T20:00:00.000Z', 'Хат ҚҰПИЯ.pdf', 'KZ', 'KG', '559aead08264d5795d3909718cdd05abd49572e84fe55590eef31a88a08fdffd', 'carrier', NULL, 'inbox');
INSERT INTO carriers (id, received_at, name, from_party, to_party, input_sha256, kind, derived_from, intake) VALUES ('df7e70e5021544f4834bbee64a9e3789-KZ-KG', '2026-01-02T09:00:00.000Z', 'conflict-kk-ru.pdf', 'KZ', 'KG', 'df7e70e5021544f4834bbee64a9e3789febc4be81470df629cad6ddb03320a5c', 'carrier', NULL, 'http');
INSERT INTO carriers (id, received_at, name, from_party, to_party, input_sha256, kind, derived_from, intake) VALUES ('6b23c0d5f35d1b11f9b683f0b0a61735-KZ-KG', '2026-01-03T09:00:00.000Z', 'translation-ru.pdf', 'KZ', 'KG', '6b23c0d5f35d1b11f9b683f0b0a617355deb11277d91ae091d399c655b87940d', 'copy', '559aead08264d5795d3909718cdd05ab-KZ-KG', 'cli');
INSERT INTO events (carrier_id, at, kind, level, stamps, decided_by, reference, output_sha256, output_path, detail, key) VALUES ('559aead08264d5795d3909718cdd05ab-KZ-KG', '2025-12-31T20:00:05.000Z', 'verdict', 'secret', '[{"lang":"kk","level":"secret","page":1,"evidence":"strong"}]', 'grif 0.1.0', NULL, NULL, NULL, NULL, '559aead08264d5795d3909718cdd05ab-KZ-KG:verdict');
INSERT INTO events (carrier_id, at, kind, level, stamps, decided_by, reference, output_sha256, output_path, detail, key) VALUES ('559aead08264d5795d3909718cdd05ab-KZ-KG', '2025-12-31T20:00:06.000Z', 'stamped', 'secret', '[]', 'grif 0.1.0', NULL, '559aead08264d5795d3909718cdd05abd49572e84fe55590eef31a88a08fdffd', 'outbox/a.pdf', 'already bears ЖАШЫРУУН', '559aead08264d5795d3909718cdd05ab-KZ-KG:outcome');
INSERT INTO events (carrier_id, at, kind, level, stamps, decided_by, reference, output_sha256, output_path, detail, key) VALUES ('df7e70e5021544f4834bbee64a9e3789-KZ-KG', '2026-01-02T09:00:05.000Z', 'verdict', NULL, '[]', 'grif 0.1.0', NULL, NULL, NULL, NULL, 'df7e70e5021544f4834bbee64a9e3789-KZ-KG:verdict');
INSERT INTO events (carrier_id, at, kind, level, stamps, decided_by, reference, output_sha256, output_path, detail, key) VALUES ('df7e70e5021544f4834bbee64a9e3789-KZ-KG', '2026-01-02T09:00:06.000Z', 'review', NULL, '[]', 'grif 0.1.0', NULL, NULL, NULL, 'not equivalents', 'df7e70e5021544f4834bbee64a9e3789-KZ-KG:review');
INSERT INTO events (carrier_id, at, kind, level, stamps, decided_by, reference, output_sha256, output_path, detail, key) VALUES ('559aead08264d5795d3909718cdd05ab-KZ-KG', '2026-01-02T10:00:00.000Z', 'duplicate', NULL, '[]', 'grif 0.1.0', NULL, NULL, NULL, 'received again', NULL);
INSERT INTO events (carrier_id, at, kind, level, stamps, decided_by, reference, output_sha256, output_path, detail, key) VALUES ('df7e70e5021544f4834bbee64a9e3789-KZ-KG', '2026-01-02T11:00:00.000Z', 'decision', 'top-secret', '[]', 'А. Клерк', 'Письмо № 17/2026', NULL, NULL, NULL, 'df7e70e5021544f4834bbee64a9e3789-KZ-KG:decision');
INSERT INTO events (carrier_id, at, kind, level, stamps, decided_by, reference, output_sha256, output_path, detail, key) VALUES ('df7e70e5021544f4834bbee64a9e3789-KZ-KG', '2026-01-02T11:00:09.000Z', 'stamped', 'top-secret', '[]', 'А. Клерк', 'Письмо № 17/2026', '0596afa61037a49bbfd236f860580d3cae5e8432f793ea582f7d9a0ced04e833', 'outbox/b.stamped.pdf', NULL, 'df7e70e5021544f4834bbee64a9e3789-KZ-KG:outcome');
INSERT INTO events (carrier_id, at, kind, level, stamps, decided_by, reference, output_sha256, output_path, detail, key) VALUES ('6b23c0d5f35d1b11f9b683f0b0a61735-KZ-KG', '2026-01-03T09:00:05.000Z', 'verdict', NULL, '[]', 'grif 0.1.0', NULL, NULL, NULL, NULL, '6b23c0d5f35d1b11f9b683f0b0a61735-KZ-KG:verdict');
INSERT INTO events (carrier_id, at, kind, level, stamps, decided_by, reference, output_sha256, output_path, detail, key) VALUES ('6b23c0d5f35d1b11f9b683f0b0a61735-KZ-KG', '2026-01-03T09:00:06.000Z', 'rejected', NULL, '[]', 'grif 0.1.0', NULL, NULL, 'rejected/c.pdf', 'lower than its source', '6b23c0d5f35d1b11f9b683f0b0a61735-KZ-KG:outcome');
COMMIT;
