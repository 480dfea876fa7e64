-- tlp.sql: literals of type ceptoar.tlp (Traffic Light Protocol 2.0) on both sides
-- of every rule, its order, comparison, indexes and tlp_rank().
SET client_min_messages = warning;
SET search_path = public, ceptoar;

\i sql/try.psql

-- Valid: every label in any case, with or without TLP: (blanks after the colon too),
-- surrounding blanks (ASCII and U+3000); white (TLP 1.0) is clear
SELECT input, input::ceptoar.tlp AS tlp, tlp_rank(input::ceptoar.tlp) AS rank
FROM (VALUES ('clear'), ('CLEAR'), ('Clear'), ('TLP:CLEAR'), ('tlp:clear'), ('Tlp:Clear'),
             ('green'), ('GREEN'), ('TLP:GREEN'), ('tlp:green'),
             ('amber'), ('AMBER'), ('TLP:AMBER'), ('tlp:Amber'),
             ('amber+strict'), ('AMBER+STRICT'), ('Amber+Strict'), ('TLP:AMBER+STRICT'),
             ('tlp:amber+strict'),
             ('red'), ('RED'), ('Red'), ('TLP:RED'), ('tlp:red'),
             ('white'), ('WHITE'), ('TLP:WHITE'), ('tlp:white'),
             (' red '), (E'\tTLP:RED\n'), ('TLP: RED'), (E'TLP:\tamber'), ('  TLP:  green  '),
             ('　TLP:AMBER+STRICT　')) AS t(input);

-- Output is the lower-case label without TLP:; text casts go through I/O
SELECT 'TLP:AMBER+STRICT'::ceptoar.tlp::text AS out,
       'TLP:RED'::text::ceptoar.tlp AS from_text,
       'WHITE'::ceptoar.tlp::text = 'clear' AS white_is_clear,
       pg_typeof('red'::ceptoar.tlp::text) AS text_type;

-- Invalid: every one is 22P02 with the input quoted, the bad part named and the valid
-- list; a near miss gets "Did you mean"
SELECT input, e.*
FROM (VALUES (''), ('   '), ('TLP:'), ('tlp:   '), ('purple'), ('amber strict'),
             ('amber-strict'), ('amber+'), ('amber+strict+'), ('ambr'), ('amb'), ('TLP RED'),
             ('TLP::RED'), ('tlp:tlp:red'), ('TLP-RED'), ('tlp'), ('TLPRED'), ('whte'),
             ('TLP:WHIT'), ('reds'), ('r e d'), ('1'), ('赤'), ('tlp:赤'),
             (repeat('r', 96)), (repeat('r', 97)), ('TLP:' || repeat('r', 92)),
             ('TLP:' || repeat('r', 93))) AS t(input),
     LATERAL pg_temp.try(format('SELECT %L::ceptoar.tlp', input)) AS e \gx

-- Order is the order of restriction
SELECT t, tlp_rank(t)
FROM unnest('{red,clear,amber+strict,green,amber}'::ceptoar.tlp[]) AS t
ORDER BY t;
SELECT array_agg(t ORDER BY t DESC) AS descending
FROM unnest('{red,clear,amber+strict,green,amber}'::ceptoar.tlp[]) AS t;

-- Each boundary from both sides
SELECT a, b, a < b AS lt, b < a AS gt_rev, a <= b AS le, a > b AS gt, a >= b AS ge,
       a = b AS eq, a <> b AS ne, tlp_cmp(a, b) AS cmp
FROM (VALUES ('clear', 'green'), ('green', 'amber'), ('amber', 'amber+strict'),
             ('amber+strict', 'red'), ('red', 'red'), ('clear', 'white')) AS v(x, y),
     LATERAL (SELECT x::ceptoar.tlp AS a, y::ceptoar.tlp AS b) ab;

-- Every pair: operators and tlp_cmp agree with tlp_rank
SELECT count(*) AS pairs,
       count(*) FILTER (WHERE (a = b) <> (tlp_rank(a) = tlp_rank(b))
                          OR (a <> b) <> (tlp_rank(a) <> tlp_rank(b))
                          OR (a < b) <> (tlp_rank(a) < tlp_rank(b))
                          OR (a <= b) <> (tlp_rank(a) <= tlp_rank(b))
                          OR (a > b) <> (tlp_rank(a) > tlp_rank(b))
                          OR (a >= b) <> (tlp_rank(a) >= tlp_rank(b))
                          OR sign(tlp_cmp(a, b)) <> sign(tlp_rank(a) - tlp_rank(b))
                          OR (tlp_hash(a) = tlp_hash(b)) <> (a = b)
                          OR (tlp_hash_extended(a, 7) = tlp_hash_extended(b, 7)) <> (a = b)) AS disagreements
FROM unnest('{clear,green,amber,amber+strict,red}'::ceptoar.tlp[]) AS a,
     unnest('{clear,green,amber,amber+strict,red}'::ceptoar.tlp[]) AS b;

-- btree and hash indexes agree with the operators; GROUP BY sorts and hashes
CREATE TEMP TABLE tl AS
  SELECT (ARRAY['clear','green','amber','amber+strict','red'])[1 + i % 5]::ceptoar.tlp AS t, i
  FROM generate_series(1, 500) AS i;
CREATE INDEX tl_btree ON tl USING btree (t);
CREATE INDEX tl_hash ON tl USING hash (t);
ANALYZE tl;
SET enable_seqscan = off;
SET enable_bitmapscan = off;
EXPLAIN (COSTS OFF) SELECT count(*) FROM tl WHERE t >= 'amber+strict';
SELECT count(*) AS via_btree FROM tl WHERE t >= 'amber+strict';
SET enable_indexscan = off;
SET enable_bitmapscan = on;
EXPLAIN (COSTS OFF) SELECT count(*) FROM tl WHERE t = 'TLP:AMBER';
SELECT count(*) AS via_hash FROM tl WHERE t = 'TLP:AMBER';
RESET enable_seqscan; RESET enable_bitmapscan; RESET enable_indexscan;
SET enable_sort = off;
SELECT t, count(*) FROM tl GROUP BY t ORDER BY t;   -- hash aggregate
RESET enable_sort;
SET enable_hashagg = off;
SELECT t, count(*) FROM tl GROUP BY t ORDER BY t;   -- sort + group
RESET enable_hashagg;
SELECT count(DISTINCT t) FROM tl;

-- The binary form: version byte 1, then the rank
SELECT t, tlp_send(t)
FROM unnest('{clear,green,amber,amber+strict,red}'::ceptoar.tlp[]) AS t;

-- NULL in, NULL out
SELECT tlp_rank(NULL::ceptoar.tlp) IS NULL AS strict_rank,
       NULL::text::ceptoar.tlp IS NULL AS strict_in;
