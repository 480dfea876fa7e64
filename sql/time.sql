-- time.sql: the Japanese fiscal year (April-March, Asia/Tokyo)
SET DateStyle = ISO;
SET TimeZone = 'UTC';
SELECT ts, ceptoar.fiscal_year(ts)
FROM unnest('{2024-03-31 23:59:59+09, 2024-04-01 00:00:00+09, 2024-03-31 15:00:00+00, 2024-03-31 14:59:59+00, 2025-01-01 00:00:00+09, 2024-12-31 23:00:00+09}'::timestamptz[]) AS ts;
-- the answer does not depend on the session's time zone
SET TimeZone = 'America/Los_Angeles';
SELECT ceptoar.fiscal_year('2024-03-31 15:00:00+00'::timestamptz) AS fy_la;
SET TimeZone = 'Asia/Tokyo';
SELECT ceptoar.fiscal_year('2024-03-31 15:00:00+00'::timestamptz) AS fy_tokyo;
SELECT d, ceptoar.fiscal_year(d)
FROM unnest('{2024-03-31,2024-04-01,2025-03-31,2000-01-01}'::date[]) AS d;
SELECT ceptoar.fiscal_year(NULL::date) IS NULL AS strict;
