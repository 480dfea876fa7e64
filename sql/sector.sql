-- sector.sql: literals of type ceptoar.sector on both sides of every rule,
-- ordering, comparison and the per-sector functions.
SET client_min_messages = warning;
SET search_path = public, ceptoar;

\i sql/try.psql

-- Valid: codes in any case, surrounding blanks (ASCII and U+3000), Japanese names
SELECT input, input::ceptoar.sector AS sector
FROM (VALUES ('telecom'), ('FINANCE'), ('Aviation'), (' airport '), (E'\trail\n'),
             ('electricity'), ('gas'), ('government'), ('medical'), ('water'),
             ('logistics'), ('chemical'), ('credit'), ('petroleum'), ('port'),
             ('情報通信'), ('金融'), ('航空'), ('空港'), ('鉄道'), ('電力'), ('ガス'),
             ('政府・行政サービス'), ('政府・行政サービス(地方公共団体を含む)'),
             ('政府・行政サービス（地方公共団体を含む）'), ('政府・行政サービス(含・地方公共団体)'),
             ('政府・行政サービス (地方公共団体を含む)'), ('医療'), ('水道'), ('物流'),
             ('化学'), ('クレジット'), ('石油'), ('港湾'), ('　電力　')) AS t(input);

-- Output is the canonical code whatever the input spelling
SELECT 'ELECTRICITY'::ceptoar.sector::text = '電力'::ceptoar.sector::text AS same_code;

-- Invalid: every one is 22P02 with the input quoted, the bad part named and the valid list
SELECT input, e.*
FROM (VALUES ('gass'), ('elctricity'), ('xyz'), (''), ('   '), ('tele com'),
             ('telecom.'), ('電カ'), ('政府'), ('finance.bank'), ('金融庁'),
             (repeat('x', 97))) AS t(input),
     LATERAL pg_temp.try(format('SELECT %L::ceptoar.sector', input)) AS e \gx

-- Order is NISC's official order, not alphabetical
SELECT s, ceptoar.nisc_order(s), ceptoar.name_ja(s), ceptoar.name_en(s)
FROM unnest('{port,credit,telecom,water,airport,aviation,government,finance,gas,rail,electricity,medical,logistics,chemical,petroleum}'::ceptoar.sector[]) AS s
ORDER BY s;

-- Comparison operators, both sides
SELECT 'telecom'::ceptoar.sector < 'finance'    AS lt_true,
       'finance'::ceptoar.sector < 'telecom'    AS lt_false,
       'aviation'::ceptoar.sector <= 'aviation' AS le_eq,
       'port'::ceptoar.sector > 'petroleum'     AS gt_true,
       'gas'::ceptoar.sector >= 'government'    AS ge_false,
       'gas'::ceptoar.sector = 'ガス'           AS eq_true,
       'gas'::ceptoar.sector <> 'ガス'          AS ne_false;

-- btree and hash indexes agree with the operators
CREATE TEMP TABLE sect AS
  SELECT (ARRAY['telecom','finance','gas','port'])[1 + i % 4]::ceptoar.sector AS s, i
  FROM generate_series(1, 400) AS i;
CREATE INDEX sect_btree ON sect USING btree (s);
CREATE INDEX sect_hash ON sect USING hash (s);
ANALYZE sect;
SET enable_seqscan = off;
SET enable_bitmapscan = off;
SELECT count(*) AS via_btree FROM sect WHERE s = 'gas' AND s >= 'gas';
SET enable_indexscan = off;
SET enable_bitmapscan = on;
SELECT count(*) AS via_bitmap FROM sect WHERE s > 'finance';
RESET enable_seqscan; RESET enable_bitmapscan; RESET enable_indexscan;
SET enable_sort = off;
SELECT s, count(*) FROM sect GROUP BY s ORDER BY s;   -- hash aggregate
RESET enable_sort;
SET enable_hashagg = off;
SELECT s, count(*) FROM sect GROUP BY s ORDER BY s;   -- sort + group
RESET enable_hashagg;
SELECT count(DISTINCT s) FROM sect;

-- NULL in, NULL out
SELECT ceptoar.name_ja(NULL::ceptoar.sector) IS NULL AS strict_name,
       ceptoar.nisc_order(NULL::ceptoar.sector) IS NULL AS strict_order;
