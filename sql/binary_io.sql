-- binary_io.sql: binary send/recv round trip through COPY (FORMAT binary)
SET search_path = public, ceptoar;
CREATE TEMP TABLE bin_src AS
  SELECT s.code AS sector, v.code AS service
  FROM ceptoar.sectors s JOIN ceptoar.services v ON v.sector = s.code;
CREATE TEMP TABLE bin_dst (LIKE bin_src);
\copy bin_src TO 'results/binary_io.bin' WITH (FORMAT binary)
\copy bin_dst FROM 'results/binary_io.bin' WITH (FORMAT binary)
SELECT count(*) AS rows,
       (SELECT count(*) FROM (SELECT * FROM bin_src EXCEPT SELECT * FROM bin_dst) d) AS lost
FROM bin_dst;
-- the wire format: a version byte, then the code
SELECT ceptoar.sector_send('gas'), ceptoar.service_send('gas.supply');
-- Hand-made binary COPY files: one field per row, value = version byte + code
\i sql/copyfile.psql
CREATE TEMP TABLE one_sector (s ceptoar.sector);
CREATE TEMP TABLE one_service (v ceptoar.service);
\set VERBOSITY default
-- accepted: version 1, "gas"
SELECT lo_from_bytea(0, pg_temp.copyfile('\x01'::bytea || convert_to('gas', 'UTF8'))) AS lo \gset
\lo_export :lo 'results/bin_ok.bin'
\copy one_sector FROM 'results/bin_ok.bin' WITH (FORMAT binary)
SELECT lo_unlink(:lo);
SELECT * FROM one_sector;
-- rejected: version 2
SELECT lo_from_bytea(0, pg_temp.copyfile('\x02'::bytea || convert_to('gas', 'UTF8'))) AS lo \gset
\lo_export :lo 'results/bin_v2.bin'
\copy one_sector FROM 'results/bin_v2.bin' WITH (FORMAT binary)
SELECT lo_unlink(:lo);
-- rejected: unknown code, as strictly as text input
SELECT lo_from_bytea(0, pg_temp.copyfile('\x01'::bytea || convert_to('gaz', 'UTF8'))) AS lo \gset
\lo_export :lo 'results/bin_bad.bin'
\copy one_sector FROM 'results/bin_bad.bin' WITH (FORMAT binary)
SELECT lo_unlink(:lo);
SELECT lo_from_bytea(0, pg_temp.copyfile('\x01'::bytea || convert_to('finance.bank.deposti', 'UTF8'))) AS lo \gset
\lo_export :lo 'results/bin_bad_service.bin'
\copy one_service FROM 'results/bin_bad_service.bin' WITH (FORMAT binary)
SELECT lo_unlink(:lo);
-- rejected: an empty field (no version byte)
SELECT lo_from_bytea(0, pg_temp.copyfile(''::bytea)) AS lo \gset
\lo_export :lo 'results/bin_empty.bin'
\copy one_service FROM 'results/bin_empty.bin' WITH (FORMAT binary)
SELECT lo_unlink(:lo);
SELECT count(*) AS rows_after_failures FROM one_service;

-- tlp (0.4): every label through COPY (FORMAT binary); the wire format is a version
-- byte, then the rank as one byte; a bad version or rank is 22P03
CREATE TEMP TABLE bin_tlp_src AS
  SELECT n, t FROM unnest('{clear,green,amber,amber+strict,red}'::ceptoar.tlp[]) WITH ORDINALITY AS x(t, n);
INSERT INTO bin_tlp_src VALUES (6, NULL);
CREATE TEMP TABLE bin_tlp_dst (LIKE bin_tlp_src);
\copy bin_tlp_src TO 'results/binary_io_tlp.bin' WITH (FORMAT binary)
\copy bin_tlp_dst FROM 'results/binary_io_tlp.bin' WITH (FORMAT binary)
SELECT s.n, s.t, d.t AS read_back, ceptoar.tlp_send(s.t), s.t IS NOT DISTINCT FROM d.t AS same
FROM bin_tlp_src s JOIN bin_tlp_dst d USING (n) ORDER BY n;
CREATE TEMP TABLE one_tlp (t ceptoar.tlp);
-- Hand-made values through a server-side COPY, so that each shows its SQLSTATE
\i sql/try.psql
CREATE FUNCTION pg_temp.copy_in(tbl text, field bytea, OUT state text, OUT message text,
                                OUT detail text, OUT hint text)
LANGUAGE plpgsql AS $$
DECLARE
  f text := current_setting('data_directory') || '/ceptoar_binary_io.bin';
  lo oid := lo_from_bytea(0, pg_temp.copyfile(field));
BEGIN
  PERFORM lo_export(lo, f);
  PERFORM lo_unlink(lo);
  SELECT * INTO state, message, detail, hint
    FROM pg_temp.try(format('COPY %I FROM %L WITH (FORMAT binary)', tbl, f));
  EXECUTE format('COPY (SELECT) TO %L', f);         -- leave an empty file
END $$;
-- accepted: version 1 and a rank from 0 to 4; rejected (22P03): versions 0 and 2, ranks
-- 5 and 255, an empty value, no rank byte, a byte too many, the text label (as sector
-- sends it)
SELECT why, field, e.*
FROM (VALUES ('red', '\x0104'::bytea), ('clear', '\x0100'), ('amber+strict', '\x0103'),
             ('version 0', '\x0004'), ('version 2', '\x0204'),
             ('rank 5', '\x0105'), ('rank 255', '\x01ff'),
             ('empty', ''), ('no rank', '\x01'), ('too long', '\x010400'),
             ('text', '\x01' || convert_to('red', 'UTF8'))) AS v(why, field),
     LATERAL pg_temp.copy_in('one_tlp', field) AS e \gx
SELECT * FROM one_tlp;
