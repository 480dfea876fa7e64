-- drivers.sql: what drivers and reporting tools need (0.5): assignment casts from text
-- and varchar, classify() on text, LIKE/ILIKE on sector and service, criterion order
-- and hash (DISTINCT, GROUP BY, ORDER BY on verdicts), the suggestion in the DETAIL.
SET search_path = public, ceptoar;
CREATE TABLE drv (s sector, v service, i incident, c criterion, l tlp);
-- JDBC setString sends varchar, psycopg 3 binary sends text
PREPARE ins_varchar(varchar, varchar, varchar, varchar, varchar) AS
  INSERT INTO drv VALUES ($1, $2, $3, $4, $5);
PREPARE ins_text(text, text, text, text, text) AS
  INSERT INTO drv VALUES ($1, $2, $3, $4, $5);
EXECUTE ins_varchar('gas', 'finance.bank', 'service=gas.supply, began=2024-01-15 09:00+09, households=100000, lasted=3h', 'users >= 1', 'amber');
EXECUTE ins_text('電力', 'Water.Supply', 'service=gas.supply, began=2024-01-15 09:00+09, households=10, lasted=3h', 'households >= 30', 'green');
EXECUTE ins_text('finance', 'finance.bank.deposit', 'service=gas.supply, began=2024-01-15 09:00+09, households=100000, lasted=1h', 'users >= 1', 'red');
SELECT s, v, c, l FROM drv ORDER BY s;
UPDATE drv SET l = 'clear'::varchar WHERE s = 'finance';
SELECT l FROM drv WHERE s = 'finance';
-- a bad text is the type's error, SQLSTATE 22P02, the suggestion in the detail
EXECUTE ins_text('gaz', 'finance', 'service=gas.supply, began=2024-01-15 09:00+09', 'users >= 1', 'red');
\echo :LAST_ERROR_SQLSTATE
EXECUTE ins_varchar('gas', 'finance', 'service=gas.supply, began=2024-01-15 09:00+09', 'users >= 1', 'amberr');
\echo :LAST_ERROR_SQLSTATE
-- assignment only: no implicit cast in expressions
SELECT s = 'gas'::text FROM drv;
-- classify(?, ?) with text or varchar parameters
PREPARE cl(varchar, varchar) AS SELECT (classify($1, $2)).outcome;
EXECUTE cl('service=gas.supply, began=2024-01-15 09:00+09, households=100000, lasted=3h', 'nisc-2009');
EXECUTE cl('service=gas.supply, began=2024-01-15 09:00+09, households=10, lasted=3h', 'nisc-2009');
EXECUTE cl('service=gas.supply, began=2024-01-15 09:00+09, households=-1', 'nisc-2009');
PREPARE ex(text) AS SELECT exceeds($1);
EXECUTE ex('service=gas.supply, began=2024-01-15 09:00+09, households=100000, lasted=3h');
EXECUTE ex('service=gas.supply, began=2024-01-15 09:00+09, households=30, lasted=3h');
EXECUTE ex('service=gas.supply, began=2024-01-15 09:00+09, households=29, lasted=3h');
SELECT classify('service=gas.supply, began=2024-01-15 09:00+09, households=100000') = classify('service=gas.supply, began=2024-01-15 09:00+09, households=100000'::incident);
-- LIKE, NOT LIKE, ILIKE, NOT ILIKE on the code
SELECT s FROM drv WHERE s LIKE 'ga%';
SELECT s FROM drv WHERE s NOT LIKE 'ga%' ORDER BY s;
SELECT v FROM drv WHERE v LIKE 'finance.%' ORDER BY v;
SELECT v FROM drv WHERE v ILIKE 'FINANCE.BANK' ;
SELECT v FROM drv WHERE v NOT ILIKE 'FINANCE%';
SELECT s FROM drv WHERE s ILIKE 'ELEC%' AND s NOT ILIKE 'x';
SELECT 'finance.bank'::service LIKE 'finance.ban_', 'finance'::sector LIKE 'financ', NULL::sector LIKE '%';
-- criterion: order by canonical text, equality, hash and sort grouping, verdicts
SELECT c, count(*) FROM drv GROUP BY c ORDER BY c;
SELECT DISTINCT c FROM drv ORDER BY c DESC;
SELECT 'users >= 1'::criterion < 'users >= 2'::criterion, 'users >= 1'::criterion <> 'users>=1'::criterion,
       'users >= 2'::criterion >= 'users >= 2'::criterion, 'users >= 2'::criterion > 'users >= 10'::criterion,
       'users >= 2'::criterion <= 'users >= 10'::criterion;
SET enable_hashagg = off;
SELECT (classify(i)).outcome, count(*) FROM drv GROUP BY classify(i) ORDER BY classify(i);
RESET enable_hashagg;
SET enable_sort = off;
SELECT (v).outcome, (v).criterion FROM (SELECT DISTINCT classify(i) AS v FROM drv) x ORDER BY 1;
RESET enable_sort;
SELECT count(*) FROM (SELECT classify(i) FROM drv UNION SELECT classify(i) FROM drv) u;
CREATE INDEX drv_c ON drv (c);
CREATE INDEX drv_c_hash ON drv USING hash (c);
SET enable_seqscan = off;
SELECT c FROM drv WHERE c = 'users >= 1' ORDER BY c;
RESET enable_seqscan;
-- = usable for hash and merge joins (HASHES, MERGES): each join chosen when the others are
-- off, and each gives the rows of a nested loop
CREATE TABLE drv_rules (c criterion, name text);
INSERT INTO drv_rules VALUES ('users >= 1', 'one'), ('users>=1', 'one again'), ('duration >= 2 h', 'long'),
  ('users >= 30000 and duration >= 2 h', 'big'), (NULL, 'none');
INSERT INTO drv (c) VALUES ('duration >= 120 min'), ('users >= 30000 and duration >= 2 h'), ('effect in (stop)'), (NULL);
SELECT oprcanhash, oprcanmerge FROM pg_operator WHERE oid = 'ceptoar.=(ceptoar.criterion,ceptoar.criterion)'::regoperator;
SET enable_nestloop = off;
SET enable_mergejoin = off;
EXPLAIN (COSTS OFF) SELECT d.c, r.name FROM drv d JOIN drv_rules r ON d.c = r.c;
CREATE TEMP TABLE drv_hash AS SELECT d.c::text, r.name FROM drv d JOIN drv_rules r ON d.c = r.c;
RESET enable_mergejoin;
SET enable_hashjoin = off;
EXPLAIN (COSTS OFF) SELECT d.c, r.name FROM drv d JOIN drv_rules r ON d.c = r.c;
CREATE TEMP TABLE drv_merge AS SELECT d.c::text, r.name FROM drv d JOIN drv_rules r ON d.c = r.c;
RESET enable_hashjoin;
RESET enable_nestloop;
SET enable_hashjoin = off;
SET enable_mergejoin = off;
CREATE TEMP TABLE drv_loop AS SELECT d.c::text, r.name FROM drv d JOIN drv_rules r ON d.c = r.c;
RESET enable_hashjoin;
RESET enable_mergejoin;
SELECT c, name FROM drv_loop ORDER BY 1, 2;
SELECT (SELECT count(*) FROM drv_loop) AS loop_rows,
       NOT EXISTS (SELECT * FROM drv_hash EXCEPT ALL SELECT * FROM drv_loop) AND NOT EXISTS (SELECT * FROM drv_loop EXCEPT ALL SELECT * FROM drv_hash) AS hash_same,
       NOT EXISTS (SELECT * FROM drv_merge EXCEPT ALL SELECT * FROM drv_loop) AND NOT EXISTS (SELECT * FROM drv_loop EXCEPT ALL SELECT * FROM drv_merge) AS merge_same;
DROP TABLE drv_rules, drv_hash, drv_merge, drv_loop;
DROP TABLE drv;
