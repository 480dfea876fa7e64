-- inoperability.sql: the Inoperability Input-Output Model on extreme finite input.
-- Every answer is in [0, 1] or an error (22023 singular, 22003 out of range), never NaN.
-- (The ordinary cases and the argument errors are in impact.sql.)
SET client_min_messages = warning;
SET search_path = public, ceptoar;

\i sql/try.psql

-- pg_temp.solve(a, c): the answer, or the SQLSTATE of the error
CREATE FUNCTION pg_temp.solve(a float8[], c float8[], OUT q float8[], OUT state text)
LANGUAGE plpgsql AS $$
BEGIN
  q := ceptoar.inoperability(a, c);
  state := '00000';
EXCEPTION WHEN OTHERS THEN
  state := SQLSTATE;
END $$;

-- Matrices that gave NaN before equilibration and the overflow check: huge and tiny
-- coefficients in one row, a column dominated by one row, perturbations of 1e308
SET extra_float_digits = -3;	-- 12 significant digits: the same on every platform
SELECT k, s.*
FROM (VALUES
  (1, '{{1e+308,0.22713910305454865,1e+57,0.008804442670834689},{1e-308,0.07053746958412743,0,1},{1e-308,1,0,0},{1e-308,0,-0.3777340004136138,1e-308}}'::float8[],
      '{1e+308,-1e+308,1e+308,1e+308}'::float8[]),
  (2, '{{1,1e-34,1},{0.8060680776072573,-1e+308,1},{0,1,-1e+308}}', '{1e+114,0.47193478320953663,-1e+283}'),
  (3, '{{1e-239,0.1126454297589099,1e-308,1e-308},{1e-308,0.26766815907418007,0.030035947580894895,0},{0.1255129674395885,0.1072342640604893,1,1},{0,1e+308,1e+308,-1e+308}}',
      '{1e+308,1e+308,0,1}'),
  (4, '{{0,-1e-142,1,0.4843598600046144},{1e-308,0,1,0.13156237011217375},{0,-1e+308,1e+308,0},{0.500425360971493,1e+308,1e+308,-1e+308}}',
      '{1,0.006718693136945619,-1e+81,-1e+308}'),
  (5, '{{0.20431980522632132,0.6297122264308992,1},{0.3150551751816859,0.49180968227957234,1},{1e+308,-1e+308,1e+308}}', '{1,1e-308,1}'),
  -- a perturbation of 1e308 with a moderate matrix: clipped, not overflowed
  (6, '{{0,0.5},{0.2,0}}', '{1e308,-1e308}'),
  (7, '{{0,0.5},{0.2,0}}', '{1e-308,0}'),
  -- rows and columns hundreds of orders of magnitude apart, but well posed
  -- (q = 0.5 / 0.9 and 1e299 times that, clipped; the other way round)
  (8, '{{0,1e-300},{1e299,0}}', '{0.5,0}'),
  (9, '{{0,1e-300},{1e299,0}}', '{0,0.5}'),
  (10, '{{-1e308,0},{0,-1e-308}}', '{1e308,1e-308}'),
  (11, '{{1,1e-308,0},{-1e+308,1e+308,1e+308},{0.27353960659979015,1e+308,-1e+308}}', '{-1e+253,1e-308,-0.9410241747473433}'),
  (12, '{{-1e+308,1e+308,0.9470865280129788},{0,0,1e-308},{0,1e-308,1}}', '{-1e-41,0.3638251191083808,-1e+308}')) AS t(k, a, c),
LATERAL pg_temp.solve(a, c) AS s
ORDER BY k;
RESET extra_float_digits;

-- Systems that cannot be solved in double precision: an error naming the sector or column.
-- The first: a row of coefficients of 1e-300 puts q3 near 1e300, and a pivot of 1e-11
-- multiplies that past the range of double precision.
SELECT stmt, e.*
FROM (VALUES
  ($$SELECT ceptoar.inoperability('{{1,0,-1e-300},{-1,0,-1},{-1,-1.00000000001,1}}', '{1,0,0}')$$),
  ($$SELECT ceptoar.inoperability('{{1,1e-300},{0,1}}', '{1,1}')$$),
  ($$SELECT ceptoar.inoperability('{{1e308,1e308},{1e308,1e308}}', '{1,1}')$$)
) AS t(stmt),
LATERAL pg_temp.try(stmt) AS e \gx

-- Randomized: 300 matrices of 1 to 6 sectors whose elements are 0, 1, fractions,
-- +-1e308, 1e-308 or +-10^k for k in [-308, 307]; every element of every answer is
-- in [0, 1] (no NaN, no -0) or the call raises 22023 or 22003.
CREATE FUNCTION pg_temp.rnd_val() RETURNS float8 LANGUAGE sql VOLATILE AS $$
  SELECT CASE floor(random() * 8)::int
    WHEN 0 THEN 0 WHEN 1 THEN random() WHEN 3 THEN 1e308 WHEN 4 THEN -1e308
    WHEN 5 THEN 1e-308 WHEN 6 THEN 1 WHEN 7 THEN random() * 2 - 1
    ELSE (CASE WHEN random() < 0.5 THEN -1 ELSE 1 END) * power(10::float8, floor(random() * 616) - 308)
  END $$;
CREATE FUNCTION pg_temp.random_cases(seed float8, cases int, OUT k int, OUT q float8[], OUT state text)
RETURNS SETOF record LANGUAGE plpgsql AS $$
DECLARE
  n int;
  a float8[];
  c float8[];
BEGIN
  PERFORM setseed(seed);
  FOR i IN 1 .. cases LOOP
    k := i;
    n := 1 + floor(random() * 6)::int;
    SELECT array_agg(r ORDER BY ri) INTO a FROM (
      SELECT ri, array_agg(pg_temp.rnd_val() ORDER BY ci) AS r
      FROM generate_series(1, n) ri, generate_series(1, n) ci GROUP BY ri) rows;
    SELECT array_agg(pg_temp.rnd_val()) INTO c FROM generate_series(1, n);
    SELECT s.q, s.state INTO q, state FROM pg_temp.solve(a, c) AS s;
    RETURN NEXT;
  END LOOP;
END $$;
SELECT count(*) AS cases,
       count(*) FILTER (WHERE state = '00000') > 0 AS some_solved,
       count(*) FILTER (WHERE state NOT IN ('00000', '22023', '22003')) AS other_errors,
       count(*) FILTER (WHERE state = '00000' AND EXISTS (
         SELECT 1 FROM unnest(q) x WHERE NOT (x >= 0 AND x <= 1) OR x::text = '-0')) AS outside_0_1
FROM pg_temp.random_cases(0.42, 300);
