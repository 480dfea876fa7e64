-- impact_bump.sql: the one-pass search's memory of its own (src/bump_context.c) on a graph
-- small enough for valgrind: the rows past work_mem (their own context) and a heap bucket
-- of 64 kB or more (the heap's own context), against the same rows kept the usual way.
SET client_min_messages = warning;
SET search_path = public, ceptoar;
SET DateStyle = ISO;
SET TimeZone = 'Asia/Tokyo';

TRUNCATE service_instance CASCADE;
INSERT INTO operator (code, name, sector) VALUES ('op', 'Op', 'telecom');

-- a hub (1) and 6,000 dependents: 5,000 with one buffer (one key: one heap bucket of 5,000
-- items, 80 kB) and 1,000 with buffers of 1 .. 1,000 minutes, each supplying the next one
-- a minute later (never earlier than the hub: the chain adds depth, not time)
INSERT INTO service_instance (id, service, population, operator)
SELECT g, 'telecom.telecommunications', g % 11, 'op' FROM generate_series(1, 6001) g;
INSERT INTO dependency (dependent, supplier, buffer, mode)
SELECT g, 1, '2 hours', 'area' FROM generate_series(2, 5001) g
UNION ALL
SELECT g, 1, make_interval(mins => g - 5001), 'area' FROM generate_series(5002, 6001) g
UNION ALL
SELECT g + 1, g, '1 minute', 'area' FROM generate_series(5002, 6000) g;

CREATE TEMP TABLE kept (how text, reached bigint, deepest int, people numeric, digest text);
-- rows past work_mem: 6,001 rows (about 530 kB) in their own context
SET work_mem = '64kB';
SET ceptoar.impact_result_memory = '4MB';
INSERT INTO kept SELECT 'own context', count(*), max(depth), sum(population), md5(string_agg(i::text, ';' ORDER BY n))
FROM impact(1, '2024-01-15 09:00+09', '30 days', horizon => '60 days') WITH ORDINALITY AS i(instance, service, sector, depth, onset, recovery, via, area, population, n);
-- past the setting: the rows keep to work_mem and spill, as any set-returning function's
SET ceptoar.impact_result_memory = '256kB';
INSERT INTO kept SELECT 'past the setting, spilled', count(*), max(depth), sum(population), md5(string_agg(i::text, ';' ORDER BY n))
FROM impact(1, '2024-01-15 09:00+09', '30 days', horizon => '60 days') WITH ORDINALITY AS i(instance, service, sector, depth, onset, recovery, via, area, population, n);
-- the tuplestore's usual memory: within work_mem
RESET work_mem;
RESET ceptoar.impact_result_memory;
INSERT INTO kept SELECT 'usual', count(*), max(depth), sum(population), md5(string_agg(i::text, ';' ORDER BY n))
FROM impact(1, '2024-01-15 09:00+09', '30 days', horizon => '60 days') WITH ORDINALITY AS i(instance, service, sector, depth, onset, recovery, via, area, population, n);
SELECT how, reached, deepest, people, digest = (SELECT digest FROM kept WHERE how = 'usual') AS same_rows
FROM kept ORDER BY how;
-- the rows in order: the hub, the 1,000-minute chain's first links, the 5,000 tied at 2 hours by id
SELECT instance, depth, onset - '2024-01-15 09:00+09' AS after, via
FROM impact(1, '2024-01-15 09:00+09', '30 days', horizon => '60 days')
WHERE instance IN (1, 2, 3, 5001, 5002, 5003, 6001) ORDER BY onset, depth, instance;

-- an error while the executor reads the rows back (the last row's) takes both contexts
-- with the query; the next call answers the same
SET work_mem = '64kB';
SET ceptoar.impact_result_memory = '4MB';
SELECT count(*) FROM impact(1, '2024-01-15 09:00+09', '30 days', horizon => '60 days') WITH ORDINALITY AS i(instance, service, sector, depth, onset, recovery, via, area, population, n)
WHERE 1 / (n - 6001) <= 1;
SELECT count(*) AS reached FROM impact(1, '2024-01-15 09:00+09', '30 days', horizon => '60 days');
RESET work_mem;
RESET ceptoar.impact_result_memory;

TRUNCATE service_instance CASCADE;
DELETE FROM operator WHERE code = 'op';
