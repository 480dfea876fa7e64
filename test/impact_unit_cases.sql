-- test/impact_unit_cases.sql: graphs for impact()'s one-pass search by unit (issue 11,
-- src/impact_times.c, search_by_unit: onsets counted in the graph's buffer unit, the gcd
-- of every edge's buffer, in a circular bucket queue; the radix heap when the unit is
-- unusable).  Shared by test/31_impact_unit_hostile.sql (every case against its oracle)
-- and test/impact_unit.sh (the same cases, and the route each one must take).  Included
-- after test/reference_impact.sql and test/impact_graph_helpers.sql.
--
-- ceptoar_ref.unit_case(k) empties the graph, builds case k and returns its call
-- (origins, began, lasted, horizon), the route the engine must take ('unit' or 'radix')
-- and the oracle it is compared with: 'ref' (ceptoar_ref.ref_impact, row for row) or
-- 'radix' (graphs too large for the reference: the same call again with the radix heap,
-- forced by an isolated pair of instances whose buffer has no usable unit; the radix
-- heap is itself compared with the reference by test/30_impact_random.sql).
-- ceptoar_ref.unit_mismatches(...) compares with the oracle: one line per difference.

-- instances ids (every third with a NULL population), all of one service
CREATE FUNCTION ceptoar_ref.unit_nodes(ids bigint[]) RETURNS void
  LANGUAGE sql VOLATILE
  AS $$ INSERT INTO ceptoar.service_instance (id, service, population, operator)
        SELECT i, 'gas.supply', CASE WHEN i % 3 = 0 THEN NULL ELSE abs(i) * 10 END, 'op-gas'
          FROM unnest(ids) i $$;

-- a dependency per row of (dependent, supplier, buffer[, mode])
CREATE FUNCTION ceptoar_ref.unit_edges(e text) RETURNS void
  LANGUAGE plpgsql VOLATILE
  AS $$
BEGIN
  EXECUTE format('INSERT INTO ceptoar.dependency (dependent, supplier, buffer, mode)
                  SELECT d, s, b::interval, coalesce(m, ''area'') FROM (VALUES %s) x(d, s, b, m)', e);
END $$;

-- A small random graph without geometry: n instances (ids shuffled, with gaps), about 3
-- suppliers each, buffers picked from bufs (ties and zero buffers when bufs repeats
-- them), a fifth of the dependencies of mode site (they never pass here).
CREATE FUNCTION ceptoar_ref.unit_random(seed float8, n integer, bufs interval[]) RETURNS bigint[]
  LANGUAGE plpgsql VOLATILE
  AS $$
DECLARE
  ids bigint[];
BEGIN
  PERFORM setseed(seed);
  ids := ARRAY(SELECT (7 + 5 * i)::bigint FROM generate_series(1, n) i ORDER BY random(), i);
  PERFORM ceptoar_ref.unit_nodes(ids);
  INSERT INTO ceptoar.dependency (dependent, supplier, buffer, mode)
  SELECT ids[i], ids[j], ceptoar_ref.pick(bufs), CASE WHEN random() < 0.2 THEN 'site' ELSE 'area' END
    FROM generate_series(1, n) i, generate_series(1, n) j
   WHERE i <> j AND random() < 3.0 / n;
  RETURN ids;
END $$;

CREATE TYPE ceptoar_ref.unit_call AS (label text, origins bigint[], began timestamptz,
  lasted interval, horizon interval, route text, oracle text);

CREATE FUNCTION ceptoar_ref.unit_ncases() RETURNS integer
  LANGUAGE sql IMMUTABLE AS $$ SELECT 75 $$;

CREATE FUNCTION ceptoar_ref.unit_case(k integer) RETURNS ceptoar_ref.unit_call
  LANGUAGE plpgsql VOLATILE
  AS $$
DECLARE
  c ceptoar_ref.unit_call;
  ids bigint[];
  -- 22:00 EST, four hours before the clocks go forward, and a fraction of a second
  b0 timestamptz := timestamptz '2024-03-09 22:00:00.123457-05';
  -- a half second before the first 01:59:59 of the day the clocks go back
  b1 timestamptz := timestamptz '2024-11-03 01:59:59.5-04';
BEGIN
  SET LOCAL client_min_messages = warning;
  TRUNCATE ceptoar.service_instance CASCADE;
  c.horizon := interval '7 days';
  c.route := 'unit';
  c.oracle := 'ref';
  c.began := b0;
  CASE
  -- Whole hours, and one buffer of a microsecond: the unit is 1 us, the queue would be
  -- hours of microseconds wide: the radix heap.  The same graph for an outage of 50 ms
  -- (only the 1 us buffer passes): 50,000 buckets, by unit.
  WHEN k IN (1, 2) THEN
    PERFORM ceptoar_ref.unit_nodes(ARRAY[1, 2, 3, 4, 5, 6, 7, 8]);
    PERFORM ceptoar_ref.unit_edges($e$(2, 1, '1 hour', NULL), (3, 2, '2 hours', NULL), (4, 1, '0.000001', NULL),
      (5, 4, '1 hour', NULL), (6, 5, '0', NULL), (3, 6, '0', NULL), (7, 3, '0', NULL), (8, 7, '3 hours', NULL),
      (6, 4, '0', NULL)$e$);
    c.origins := '{1}';
    c.lasted := CASE k WHEN 1 THEN '6 hours' ELSE '0.05' END;
    c.route := CASE k WHEN 1 THEN 'radix' ELSE 'unit' END;
    c.label := CASE k WHEN 1 THEN 'hours and one 1 us buffer' ELSE 'hours and one 1 us buffer, an outage of 50 ms' END;
  -- Whole minutes, zero buffers, a cycle, across the change to daylight saving time.
  WHEN k IN (3, 4) THEN
    PERFORM ceptoar_ref.unit_nodes(ARRAY[10, 11, 12, 13, 14, 15, 16, 17, 18]);
    PERFORM ceptoar_ref.unit_edges($e$(11, 10, '15 minutes', NULL), (12, 11, '0', NULL), (13, 12, '45 minutes', NULL),
      (11, 13, '0', NULL), (14, 10, '1 hour', NULL), (13, 14, '0', NULL), (15, 13, '2 hours 15 minutes', NULL),
      (16, 15, '1 minute', NULL), (17, 10, '3 hours 16 minutes', NULL), (18, 16, '0', NULL), (18, 17, '0', NULL),
      (10, 18, '5 minutes', NULL)$e$);
    c.origins := '{10}';
    c.began := CASE k WHEN 3 THEN b0 ELSE timestamptz '2024-03-10 01:30:00.000001-05' END;
    c.lasted := CASE k WHEN 3 THEN '1 day' ELSE '3 hours 16 minutes 0.000001' END;
    c.label := 'whole minutes, zero buffers, a cycle' || CASE k WHEN 4 THEN ', the last onset 1 us before the end' ELSE '' END;
  -- Seconds (7 s and its multiples), across the change back to standard time.
  WHEN k IN (5, 6) THEN
    PERFORM ceptoar_ref.unit_nodes(ARRAY[1, 2, 3, 4, 5, 6]);
    PERFORM ceptoar_ref.unit_edges($e$(2, 1, '7 seconds', NULL), (3, 1, '14 seconds', NULL), (3, 2, '7 seconds', NULL),
      (4, 3, '21 seconds', NULL), (5, 2, '35 seconds', NULL), (4, 5, '0', NULL), (6, 4, '1 hour 7 seconds', NULL)$e$);
    c.origins := '{1}';
    c.began := b1;
    c.lasted := CASE k WHEN 5 THEN '2 hours' ELSE '42 seconds' END;
    c.label := 'multiples of 7 s across the change back' || CASE k WHEN 6 THEN ', the outage as long as the path' ELSE '' END;
  -- All buffers 0: the unit is 0 (one bucket), cycles, depth ties; an outage of 0 and of 1 us.
  WHEN k IN (7, 8, 9) THEN
    PERFORM ceptoar_ref.unit_nodes(ARRAY(SELECT generate_series(1, 10)::bigint));
    PERFORM ceptoar_ref.unit_edges($e$(2, 1, '0', NULL), (3, 2, '0', NULL), (4, 3, '0', NULL), (5, 4, '0', NULL),
      (6, 5, '0', NULL), (7, 6, '0', NULL), (8, 7, '0', NULL), (9, 8, '0', NULL), (10, 9, '0', NULL), (1, 10, '0', NULL),
      (5, 1, '0', NULL), (9, 5, '0', NULL), (1, 9, '0', NULL), (8, 3, '0', 'site')$e$);
    c.origins := CASE k WHEN 9 THEN '{3, 1, 3}' ELSE '{1}' END;
    c.lasted := CASE k WHEN 7 THEN '0' ELSE '0.000001' END;
    c.label := CASE k WHEN 7 THEN 'all buffers 0, an outage of 0' WHEN 8 THEN 'all buffers 0, an outage of 1 us'
               ELSE 'all buffers 0, an origin twice' END;
  -- One edge only (7 s): an outage as long as the buffer does not pass, 1 us longer does;
  -- a horizon 1 us short of the onset, and exactly at it.
  WHEN k BETWEEN 10 AND 14 THEN
    PERFORM ceptoar_ref.unit_nodes(ARRAY[1, 2]);
    PERFORM ceptoar_ref.unit_edges($e$(2, 1, '7 seconds', NULL)$e$);
    c.origins := CASE k WHEN 14 THEN '{2}' ELSE '{1}' END;
    c.began := b1;
    c.lasted := CASE k WHEN 10 THEN '7 seconds' WHEN 11 THEN '7.000001 seconds' ELSE '1 hour' END;
    c.horizon := CASE k WHEN 12 THEN '6.999999 seconds' WHEN 13 THEN '7 seconds' WHEN 14 THEN '7 seconds' ELSE '7 days' END;
    c.label := 'one edge: ' || CASE k WHEN 10 THEN 'outage = buffer' WHEN 11 THEN 'outage = buffer + 1 us'
               WHEN 12 THEN 'horizon = buffer - 1 us' WHEN 13 THEN 'horizon = buffer' ELSE 'the dependent as origin' END;
  -- Buffers the outage's length, 1 us shorter, 1 us longer (unit 1 us, by unit for 50 ms).
  WHEN k IN (15, 16) THEN
    PERFORM ceptoar_ref.unit_nodes(ARRAY[1, 2, 3, 4, 5, 6]);
    PERFORM ceptoar_ref.unit_edges($e$(2, 1, '0.05', NULL), (3, 1, '0.049999', NULL), (4, 1, '0.050001', NULL),
      (5, 3, '0', NULL), (6, 3, '0.000001', NULL)$e$);
    c.origins := '{1}';
    c.lasted := '0.05';
    c.horizon := CASE k WHEN 16 THEN '0.049998' ELSE '7 days' END;
    c.label := 'buffers of the outage''s length +-1 us' || CASE k WHEN 16 THEN ', horizon 1 us short' ELSE '' END;
  -- The same with hours: a unit of 1 us, hours wide: the radix heap.
  WHEN k = 17 THEN
    PERFORM ceptoar_ref.unit_nodes(ARRAY[1, 2, 3, 4, 5, 6]);
    PERFORM ceptoar_ref.unit_edges($e$(2, 1, '2 hours', NULL), (3, 1, '1:59:59.999999', NULL), (4, 1, '2:00:00.000001', NULL),
      (5, 3, '0', NULL), (6, 3, '0.000001', NULL)$e$);
    c.origins := '{1}';
    c.lasted := '2 hours';
    c.route := 'radix';
    c.label := 'buffers of 2 hours +-1 us, an outage of 2 hours';
  -- Horizons 0 and 1 us on minutes and zero chains; many origins, some twice.
  WHEN k BETWEEN 18 AND 21 THEN
    ids := ceptoar_ref.unit_random(0.18, 30, ARRAY['0', '0', '1 minute', '2 minutes', '1 hour']::interval[]);
    c.origins := CASE WHEN k < 20 THEN ids[1:1] ELSE ids[1:6] || ids[2:3] || ids[1:1] END;
    c.lasted := '2 hours';
    c.horizon := CASE k WHEN 18 THEN '0' WHEN 19 THEN '0.000001' WHEN 20 THEN '1 minute' ELSE '7 days' END;
    c.label := 'minutes and zeros: ' || CASE k WHEN 18 THEN 'horizon 0' WHEN 19 THEN 'horizon 1 us'
               WHEN 20 THEN '9 origins (3 twice), horizon 1 minute' ELSE '9 origins (3 twice)' END;
  -- Ties of (onset, depth) by the hundred: via is the smallest supplier id.  Layers of 12
  -- instances whose ids are shuffled; each depends on 4 of the layer above, buffers 0,
  -- 1 or 2 minutes.
  WHEN k IN (22, 23) THEN
    PERFORM setseed(0.23);
    ids := ARRAY(SELECT (100 + 7 * i)::bigint FROM generate_series(1, 48) i ORDER BY random(), i);
    PERFORM ceptoar_ref.unit_nodes(ids || ARRAY[1::bigint]);
    INSERT INTO ceptoar.dependency (dependent, supplier, buffer)
    SELECT ids[i], 1, make_interval(mins => (i % 2)) FROM generate_series(1, 12) i;
    INSERT INTO ceptoar.dependency (dependent, supplier, buffer)
    SELECT DISTINCT ON (ids[l * 12 + i], ids[(l - 1) * 12 + j]) ids[l * 12 + i], ids[(l - 1) * 12 + j],
           make_interval(mins => floor(random() * 3)::integer)
      FROM generate_series(1, 3) l, generate_series(1, 12) i, generate_series(1, 12) j
     WHERE random() < 4.0 / 12;
    c.origins := CASE k WHEN 22 THEN '{1}' ELSE ARRAY[1, ids[5], ids[17]] END;
    c.lasted := '1 day';
    c.label := 'layers of ties' || CASE k WHEN 23 THEN ', three origins' ELSE '' END;
  -- Mode site: never passes here; its buffers count in the unit all the same (7 us: radix).
  WHEN k IN (24, 25) THEN
    PERFORM ceptoar_ref.unit_nodes(ARRAY[1, 2, 3, 4, 5]);
    PERFORM ceptoar_ref.unit_edges(format($e$(2, 1, '10 minutes', NULL), (3, 1, '0', 'site'), (4, 2, '0', NULL),
      (3, 4, '5 minutes', NULL), (5, 1, '%s', 'site'), (5, 3, '10 minutes', NULL)$e$,
      CASE k WHEN 24 THEN '5 minutes' ELSE '0.000007' END));
    c.origins := '{1}';
    c.lasted := '1 hour';
    c.route := CASE k WHEN 24 THEN 'unit' ELSE 'radix' END;
    c.label := 'mode site' || CASE k WHEN 25 THEN ', a site buffer of 7 us' ELSE '' END;
  -- The width limit: buffer_max / unit = 65,535 (65,536 buckets, by unit) or 65,536 (radix).
  WHEN k IN (26, 27) THEN
    PERFORM ceptoar_ref.unit_nodes(ARRAY[1, 2, 3, 4, 5, 6]);
    PERFORM ceptoar_ref.unit_edges(format($e$(2, 1, '%s seconds', NULL), (3, 2, '1 second', NULL),
      (4, 1, '1 second', NULL), (5, 4, '%s seconds', NULL), (6, 5, '0', NULL), (6, 3, '0', NULL)$e$,
      CASE k WHEN 26 THEN 65535 ELSE 65536 END, CASE k WHEN 26 THEN 65534 ELSE 65535 END));
    c.origins := '{1}';
    c.lasted := '30 hours';
    c.route := CASE k WHEN 26 THEN 'unit' ELSE 'radix' END;
    c.label := CASE k WHEN 26 THEN '65,536 buckets' ELSE '65,537 buckets' END;
  -- The same graphs with a horizon that keeps the queue narrow: 65,536 buckets at most.
  WHEN k = 28 THEN
    PERFORM ceptoar_ref.unit_nodes(ARRAY[1, 2, 3, 4, 5, 6]);
    PERFORM ceptoar_ref.unit_edges($e$(2, 1, '65536 seconds', NULL), (3, 2, '1 second', NULL),
      (4, 1, '1 second', NULL), (5, 4, '65535 seconds', NULL), (6, 5, '0', NULL), (6, 3, '0', NULL)$e$);
    c.origins := '{1}';
    c.lasted := '30 hours';
    c.horizon := '65535 seconds';
    c.label := '65,537 buckets of buffers but a horizon of 65,535 units';
  -- The onsets walked: 2^22 units at most (when the instances times the width exceed it).
  -- A chain of 64 buffers of 65,535 us and one of 64 us (2^22 us), 70 instances: a
  -- horizon of 2^22 us reaches its end (by unit), 2^22 - 1 us does not (by unit),
  -- 2^22 + 1 us takes the radix heap.
  WHEN k BETWEEN 29 AND 31 THEN
    PERFORM ceptoar_ref.unit_nodes(ARRAY(SELECT generate_series(1, 70)::bigint));
    INSERT INTO ceptoar.dependency (dependent, supplier, buffer)
    SELECT i + 1, i, make_interval(secs => 0.065535) FROM generate_series(1, 64) i;
    INSERT INTO ceptoar.dependency (dependent, supplier, buffer) VALUES (66, 65, '0.000064'), (67, 66, '0');
    c.origins := '{1}';
    c.lasted := '1 minute';
    c.horizon := CASE k WHEN 29 THEN '4.194304' WHEN 30 THEN '4.194303' ELSE '4.194305' END;
    c.route := CASE k WHEN 31 THEN 'radix' ELSE 'unit' END;
    c.label := 'a horizon of 2^22 us' || CASE k WHEN 30 THEN ' - 1' WHEN 31 THEN ' + 1' ELSE '' END;
  -- The span: 2^50 us at most.  Whole days (the unit), an outage of 20,000 days.
  WHEN k IN (32, 33) THEN
    PERFORM ceptoar_ref.unit_nodes(ARRAY[1, 2, 3, 4, 5]);
    PERFORM ceptoar_ref.unit_edges($e$(2, 1, '1 day', NULL), (3, 2, '13030 days', NULL), (4, 2, '13031 days', NULL),
      (5, 1, '3 days', NULL)$e$);
    c.origins := '{1}';
    c.lasted := '20000 days';
    c.horizon := CASE k WHEN 32 THEN '1125899906.842623' ELSE '1125899906.842624' END;
    c.route := CASE k WHEN 32 THEN 'unit' ELSE 'radix' END;
    c.label := 'a span of 2^50 us' || CASE k WHEN 32 THEN ' - 1' ELSE '' END;
  -- The packed state: onsets in units < 2^(62 - depth bits).  4,096 instances (13 depth
  -- bits), unit 1 us, buffers up to 1,000 us: a horizon of 2^49 - 1 us by unit, 2^49 us the
  -- radix heap; 4,095 instances (12 bits) by unit.
  WHEN k BETWEEN 34 AND 36 THEN
    PERFORM ceptoar_ref.unit_nodes(ARRAY(SELECT generate_series(1, CASE k WHEN 36 THEN 4095 ELSE 4096 END)::bigint));
    PERFORM ceptoar_ref.unit_edges($e$(2, 1, '0.001', NULL), (3, 2, '0.000001', NULL), (4, 1, '0.000999', NULL),
      (4000, 3, '0', NULL)$e$);
    c.origins := '{1}';
    c.lasted := '20000 days';
    c.horizon := CASE k WHEN 34 THEN '562949953.421311' ELSE '562949953.421312' END;
    c.route := CASE k WHEN 35 THEN 'radix' ELSE 'unit' END;
    c.label := CASE k WHEN 34 THEN '4,096 instances, a span of 2^49 - 1 us' WHEN 35 THEN '4,096 instances, a span of 2^49 us'
               ELSE '4,095 instances, a span of 2^49 us' END;
  -- Random graphs by unit regime: hours, minutes, seconds, microseconds, all 0.
  WHEN k BETWEEN 37 AND 66 THEN
    ids := ceptoar_ref.unit_random(k / 100.0, 8 + (k * 7) % 30,
             CASE (k - 37) % 5
             WHEN 0 THEN ARRAY['0', '1 hour', '1 hour', '2 hours', '3 hours', '1 day']
             WHEN 1 THEN ARRAY['0', '0', '1 minute', '15 minutes', '15 minutes', '47 minutes', '2 hours']
             WHEN 2 THEN ARRAY['0', '7 seconds', '7 seconds', '14 seconds', '91 seconds', '1 hour 7 seconds']
             WHEN 3 THEN ARRAY['0', '0.000001', '0.000002', '0.000002', '0.000013', '0.001']
             ELSE ARRAY['0']
             END::interval[]);
    c.origins := ids[1:1 + k % 3];
    c.began := CASE WHEN k % 2 = 0 THEN b0 ELSE b1 END + make_interval(secs => k * 1234.567891);
    c.lasted := CASE (k - 37) % 5 WHEN 0 THEN '1 day 1 hour' WHEN 1 THEN '3 hours' WHEN 2 THEN '3 minutes'
                WHEN 3 THEN '0.000031' ELSE '1 hour' END;
    c.horizon := CASE WHEN k % 4 = 0 THEN c.lasted / 2 ELSE '7 days' END;
    c.label := format('random graph %s (%s)', k, (ARRAY['hours', 'minutes', 'seconds', 'microseconds', 'zeros'])[(k - 37) % 5 + 1]);
  -- Large: too much for the reference, against the radix heap.  A chain of 70,000 zero
  -- buffers (depths past 2^16, the depth lists grow); one of 70,000 whole minutes; the
  -- chain with a fan beside it (many depths in one bucket); layers of ties (300 x 4).
  WHEN k IN (67, 68) THEN
    PERFORM ceptoar_ref.unit_nodes(ARRAY(SELECT generate_series(1, 70001)::bigint));
    INSERT INTO ceptoar.dependency (dependent, supplier, buffer)
    SELECT i + 1, i, CASE k WHEN 67 THEN interval '0' ELSE interval '1 minute' END FROM generate_series(1, 70000) i;
    c.origins := '{1}';
    c.lasted := '100 days';
    c.horizon := '100 days';
    c.oracle := 'radix';
    c.label := CASE k WHEN 67 THEN 'a chain of 70,000 zero buffers' ELSE 'a chain of 70,000 minutes' END;
  WHEN k = 69 THEN
    PERFORM ceptoar_ref.unit_nodes(ARRAY(SELECT generate_series(1, 6001)::bigint));
    INSERT INTO ceptoar.dependency (dependent, supplier, buffer)
    SELECT i + 1, i, interval '1 minute' FROM generate_series(1, 2999) i;
    INSERT INTO ceptoar.dependency (dependent, supplier, buffer)
    SELECT 3000 + i, 1, make_interval(mins => i) FROM generate_series(1, 3001) i;
    c.origins := '{1}';
    c.lasted := '100 days';
    c.horizon := '100 days';
    c.oracle := 'radix';
    c.label := 'a chain and a fan: depths 1 and n in one bucket';
  WHEN k IN (70, 71) THEN
    PERFORM setseed(0.7);
    ids := ARRAY(SELECT (1000 + 3 * i)::bigint FROM generate_series(1, 1200) i ORDER BY random(), i);
    PERFORM ceptoar_ref.unit_nodes(ids || ARRAY[1::bigint]);
    INSERT INTO ceptoar.dependency (dependent, supplier, buffer)
    SELECT ids[i], 1, make_interval(mins => i % 2) FROM generate_series(1, 300) i;
    INSERT INTO ceptoar.dependency (dependent, supplier, buffer)
    SELECT DISTINCT ON (ids[l * 300 + i], ids[(l - 1) * 300 + j]) ids[l * 300 + i], ids[(l - 1) * 300 + j],
           CASE k WHEN 70 THEN make_interval(mins => floor(random() * 3)::integer) ELSE interval '0' END
      FROM generate_series(1, 3) l, generate_series(1, 300) i,
           LATERAL (SELECT 1 + floor(random() * 300)::integer + 0 * i AS j FROM generate_series(1, 4)) x;
    c.origins := ARRAY[1, ids[7]];
    c.lasted := '1 day';
    c.oracle := 'radix';
    c.label := 'layers of ties, 300 wide' || CASE k WHEN 71 THEN ', zero buffers between layers' ELSE '' END;
  -- A fraction of a second that is the unit (0.25 s), and whole hours with a half second.
  WHEN k IN (72, 73) THEN
    ids := ceptoar_ref.unit_random(k / 100.0, 25,
             CASE k WHEN 72 THEN ARRAY['0', '0.25', '0.5', '0.75', '1.25']
                    ELSE ARRAY['0', '1 hour', '0.5', '2 hours'] END::interval[]);
    c.origins := ids[1:2];
    c.lasted := CASE k WHEN 72 THEN '3 seconds' ELSE '5 hours' END;
    c.label := CASE k WHEN 72 THEN 'quarter seconds' ELSE 'hours and a half second (unit 0.5 s)' END;
  -- Ids negative and past 2^32 (the via tie-break compares indexes in id order).
  WHEN k IN (74, 75) THEN
    PERFORM ceptoar_ref.unit_nodes(ARRAY[-9000000000, -5, 0, 4294967296, 4294967297, 9000000000000]);
    PERFORM ceptoar_ref.unit_edges($e$(4294967297, -9000000000, '1 minute', NULL), (4294967297, 0, '1 minute', NULL),
      (4294967297, 9000000000000, '1 minute', NULL), (-5, 4294967297, '0', NULL), (4294967296, -5, '2 minutes', NULL),
      (4294967296, 9000000000000, '3 minutes', NULL), (0, -9000000000, '1 minute', NULL)$e$);
    c.origins := CASE k WHEN 74 THEN '{-9000000000, 9000000000000}' ELSE '{9000000000000, 0, -9000000000}' END::bigint[];
    c.lasted := '1 hour';
    c.label := 'ids negative and huge' || CASE k WHEN 75 THEN ', three origins' ELSE '' END;
  END CASE;
  RETURN c;
END $$;

-- One line per row where the engine differs from the oracle (FULL JOIN on instance; every
-- column, the position too).
CREATE FUNCTION ceptoar_ref.unit_mismatches(c ceptoar_ref.unit_call) RETURNS SETOF text
  LANGUAGE plpgsql VOLATILE
  AS $$
BEGIN
  SET LOCAL client_min_messages = warning;
  CREATE TEMP TABLE IF NOT EXISTS ceptoar_unit_c (n bigint, i bigint, sv ceptoar.service, d integer,
    o timestamptz, r timestamptz, v bigint, a geometry, p bigint);
  CREATE TEMP TABLE IF NOT EXISTS ceptoar_unit_o (LIKE ceptoar_unit_c);
  TRUNCATE ceptoar_unit_c, ceptoar_unit_o;
  -- the engine, with its route shown at debug1 when ceptoar_ref.show_route is on
  IF current_setting('ceptoar_ref.show_route', true) = 'on' THEN
    PERFORM set_config('client_min_messages', 'debug1', true);
  END IF;
  INSERT INTO ceptoar_unit_c SELECT x.n, x.i, x.s, x.d, x.o, x.r, x.v, x.a, x.p
    FROM ceptoar.impact(c.origins, c.began, c.lasted, NULL, c.horizon)
         WITH ORDINALITY AS x(i, s, sc, d, o, r, v, a, p, n);
  PERFORM set_config('client_min_messages', 'warning', true);
  IF c.oracle = 'ref' THEN
    INSERT INTO ceptoar_unit_o SELECT x.n, x.i, x.s, x.d, x.o, x.r, x.v, x.a, x.p
      FROM ceptoar_ref.ref_impact(c.origins, c.began, c.lasted, NULL, c.horizon)
           WITH ORDINALITY AS x(i, s, sc, d, o, r, v, a, p, n);
  ELSE
    -- an isolated pair whose buffer (1 us past an hour) leaves no usable unit: the radix heap
    INSERT INTO ceptoar.service_instance (id, service, operator)
    VALUES (-4611686018427387904, 'gas.supply', 'op-gas'), (-4611686018427387903, 'gas.supply', 'op-gas');
    INSERT INTO ceptoar.dependency (dependent, supplier, buffer)
    VALUES (-4611686018427387903, -4611686018427387904, '1 hour 0.000001');
    INSERT INTO ceptoar_unit_o SELECT x.n, x.i, x.s, x.d, x.o, x.r, x.v, x.a, x.p
      FROM ceptoar.impact(c.origins, c.began, c.lasted, NULL, c.horizon)
           WITH ORDINALITY AS x(i, s, sc, d, o, r, v, a, p, n);
    DELETE FROM ceptoar.service_instance WHERE id < -4611686018427387900;
  END IF;
  RETURN QUERY
  SELECT format('instance %s: C %s <> %s %s', coalesce(x.i, y.i), x, c.oracle, y)
    FROM ceptoar_unit_c x FULL JOIN ceptoar_unit_o y ON y.i = x.i
   WHERE x.i IS NULL OR y.i IS NULL OR x.n <> y.n OR x.sv::text IS DISTINCT FROM y.sv::text
      OR x.d <> y.d OR x.o <> y.o OR x.r <> y.r OR x.v IS DISTINCT FROM y.v
      OR x.p IS DISTINCT FROM y.p OR x.a IS NOT NULL OR y.a IS NOT NULL
   ORDER BY coalesce(x.i, y.i)
   LIMIT 5;
END $$;

-- the number of rows the engine gave in the last comparison
CREATE FUNCTION ceptoar_ref.unit_rows() RETURNS bigint
  LANGUAGE plpgsql VOLATILE AS $$ BEGIN RETURN (SELECT count(*) FROM ceptoar_unit_c); END $$;
