-- service.sql: literals of type ceptoar.service, the tree and its operators.
SET client_min_messages = warning;
SET search_path = public, ceptoar;

\i sql/try.psql

-- Valid: every path of the issue, any case, blanks around
SELECT input, input::ceptoar.service AS service
FROM (VALUES ('electricity.supply'), ('telecom.telecommunications'), ('telecom.broadcasting'),
             ('finance.bank.deposit'), ('finance.bank.lending'), ('finance.bank.remittance'),
             ('finance.life_insurance.claims'), ('finance.nonlife_insurance.claims'),
             ('finance.securities.custody'), ('finance.securities.trading'),
             ('aviation.scheduled_flights'), ('rail.passenger'), ('gas.supply'),
             ('government.administration'), ('medical.records'), ('water.supply'),
             ('logistics.freight'), ('Telecom.Telecommunications.Emergency_Voice'),
             ('  telecom.telecommunications.voice  '), ('telecom.telecommunications.data'),
             ('telecom.telecommunications.free_internet'), ('finance'), ('finance.bank'),
             ('airport.operations'), ('chemical.production'), ('credit.card_payment'),
             ('petroleum.supply'), ('port.terminal_operations')) AS t(input);

-- Every sector has at least one service below its root
SELECT s.code AS sector, count(v.code) AS services
FROM ceptoar.sectors s LEFT JOIN ceptoar.services v ON v.sector = s.code AND v.depth > 1
GROUP BY s.code ORDER BY s.code;

-- Invalid: 22P02, the bad part named, the nearest valid name suggested when close
SELECT input, e.*
FROM (VALUES ('finance.bank.deposti'), ('finanse.bank'), ('finance..deposit'),
             ('finance.'), ('.finance'), (''), ('electricity.suply'),
             ('electricity.supply.x'), ('電力.supply'), ('water supply'),
             ('finance.bank.deposit.extra'), (repeat('a.', 60))) AS t(input),
     LATERAL pg_temp.try(format('SELECT %L::ceptoar.service', input)) AS e \gx

-- The tree: sector, parent, depth; ancestors contain descendants (reflexive, like ltree)
SELECT v, ceptoar.sector(v), ceptoar.parent(v), ceptoar.depth(v)
FROM unnest('{finance,finance.bank,finance.bank.deposit,telecom.telecommunications.voice}'::ceptoar.service[]) AS v;

SELECT a, b, a @> b AS contains, a <@ b AS contained
FROM (VALUES ('finance', 'finance.bank.deposit'),
             ('finance.bank', 'finance.bank.deposit'),
             ('finance.bank', 'finance.bank'),
             ('finance.bank', 'finance.securities.trading'),
             ('finance.bank.deposit', 'finance.bank'),
             ('telecom.telecommunications', 'telecom.telecommunications.emergency_voice'),
             ('telecom.broadcasting', 'telecom.telecommunications.voice'),
             ('gas', 'electricity.supply')) AS t(x, y),
     LATERAL (SELECT x::ceptoar.service AS a, y::ceptoar.service AS b) AS c;

-- All descendants of a scope, through the operator
SELECT code FROM ceptoar.services WHERE code <@ 'finance.securities' ORDER BY code;

-- Order is catalogue pre-order: sector (NISC order), parent before children
SELECT v FROM unnest('{water.supply,finance.bank.remittance,finance,telecom.broadcasting,finance.bank,telecom.telecommunications.data,airport.operations,aviation.scheduled_flights}'::ceptoar.service[]) AS v
ORDER BY v;

-- Casts between sector and service
SELECT 'finance.bank.deposit'::ceptoar.service::ceptoar.sector AS to_sector,
       'rail'::ceptoar.sector::ceptoar.service AS to_root,
       ceptoar.service('電力'::ceptoar.sector) @> 'electricity.supply' AS root_contains;

-- Names
SELECT v, ceptoar.name_ja(v), ceptoar.name_en(v)
FROM unnest('{finance.bank.remittance,telecom.telecommunications.emergency_voice,government}'::ceptoar.service[]) AS v;

-- btree and hash indexes
CREATE TEMP TABLE svc AS
  SELECT code AS v, n FROM ceptoar.services, generate_series(1, 20) AS n;
CREATE INDEX svc_btree ON svc (v);
CREATE INDEX svc_hash ON svc USING hash (v);
ANALYZE svc;
SET enable_seqscan = off;
SELECT count(*) AS eq_rows FROM svc WHERE v = 'gas.supply';
SELECT count(*) AS range_rows FROM svc WHERE v >= 'finance' AND v < 'aviation';
RESET enable_seqscan;
SELECT count(DISTINCT v) AS distinct_services FROM svc;
