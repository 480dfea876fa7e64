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
