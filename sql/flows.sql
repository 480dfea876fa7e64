-- flows.sql: information flows.  Upward: a report delivered on insert to its operator's
-- CEPTOAR, its competent ministry (both sides of the water move, 2024-04-01 Japan time) and
-- NISC; acknowledgements.  Downward: alerts to several sectors, forwarding, acknowledgements;
-- the unacknowledged view; errors; nothing lost.
SET client_min_messages = warning;
SET search_path = public, ceptoar;
SET DateStyle = ISO;
SET TimeZone = 'UTC';

\i sql/try.psql
-- one transaction, rolled back: reports cannot be deleted, and the other files use their own
BEGIN;

INSERT INTO operator (code, name, sector, ceptoar) VALUES
  ('tepco', 'Tokyo Electric Power Grid', 'electricity', 'electricity'),
  ('kepco', 'Kansai Electric Power', 'electricity', 'electricity'),
  ('tokyo-gas', 'Tokyo Gas', 'gas', NULL),
  ('yokohama-water', 'Yokohama Waterworks Bureau', 'water', 'water'),
  ('jr-east', 'JR East', 'rail', 'rail');

-- upward: water's ministry on both sides of 2024-04-01 00:00 Japan time (2024-03-31 15:00 UTC)
INSERT INTO report (id, operator, kind, reported, summary) VALUES
  ('00000000-0000-0000-0000-000000000001', 'yokohama-water', 'threat', '2024-03-31 14:59:59+00', 'last second of MHLW'),
  ('00000000-0000-0000-0000-000000000002', 'yokohama-water', 'threat', '2024-03-31 15:00:00+00', 'first second of MLIT'),
  ('00000000-0000-0000-0000-000000000003', 'tokyo-gas', 'threat', '2024-05-01 09:00+09', 'no CEPTOAR'),
  ('00000000-0000-0000-0000-000000000004', 'tepco', 'near_miss', '2024-05-01 10:00+09', 'exercise run');
SELECT d.report, r.ministry_code, d.recipient, d.recipient_kind, d.delivered_at = now() AS now,
       d.acknowledged_at, d.acknowledged_by
  FROM report_delivery d JOIN report r ON r.id = d.report
 ORDER BY d.report, d.recipient_kind, d.recipient;

-- a revision is no new delivery
UPDATE report SET summary = 'revised' WHERE id = '00000000-0000-0000-0000-000000000001';
SELECT count(*) AS deliveries FROM report_delivery;

-- acknowledgements (twice is no error: below, by another role)
SELECT acknowledge_report('00000000-0000-0000-0000-000000000001', 'mhlw') = now() AS acknowledged_now;
SELECT acknowledged_at = now() AS first_time, acknowledged_by = current_user AS by_me
  FROM report_delivery WHERE report = '00000000-0000-0000-0000-000000000001' AND recipient = 'mhlw';
SELECT acknowledge_report('00000000-0000-0000-0000-000000000002', 'water') IS NOT NULL AS ceptoar_ack,
       acknowledge_report('00000000-0000-0000-0000-000000000002', 'nisc') IS NOT NULL AS nisc_ack;
SELECT e.state, e.message, e.hint FROM (VALUES
  ($$SELECT ceptoar.acknowledge_report('00000000-0000-0000-0000-0000000000ff', 'nisc')$$),
  ($$SELECT ceptoar.acknowledge_report(NULL, 'nisc')$$),
  ($$SELECT ceptoar.acknowledge_report('00000000-0000-0000-0000-000000000001', 'mlit')$$),
  ($$SELECT ceptoar.acknowledge_report('00000000-0000-0000-0000-000000000003', 'gas')$$),
  ($$SELECT ceptoar.acknowledge_report('00000000-0000-0000-0000-000000000003', NULL)$$)
) AS t(stmt), LATERAL pg_temp.try(stmt) AS e;

-- deliveries are never changed or deleted, only acknowledged once
SELECT e.state, e.message, e.hint FROM (VALUES
  ($$DELETE FROM ceptoar.report_delivery$$),
  ($$TRUNCATE ceptoar.report_delivery$$),
  ($$UPDATE ceptoar.report_delivery SET recipient = 'mic' WHERE recipient = 'nisc'$$),
  ($$UPDATE ceptoar.report_delivery SET acknowledged_at = now() WHERE recipient = 'mhlw'$$),
  ($$UPDATE ceptoar.report_delivery SET acknowledged_at = '2000-01-01' WHERE recipient = 'electricity'$$),
  ($$INSERT INTO ceptoar.report_delivery (report, recipient, recipient_kind, delivered_at) VALUES ('00000000-0000-0000-0000-0000000000ff', 'nisc', 'nisc', now())$$),
  ($$INSERT INTO ceptoar.report_delivery (report, recipient, recipient_kind, delivered_at) VALUES ('00000000-0000-0000-0000-000000000001', 'fsa', 'agency', now())$$)
) AS t(stmt), LATERAL pg_temp.try(stmt) AS e;
-- a direct UPDATE acknowledges too, as the role that wrote it
UPDATE report_delivery SET acknowledged_at = now(), acknowledged_by = 'someone_else'
 WHERE report = '00000000-0000-0000-0000-000000000003' AND recipient = 'meti'
RETURNING recipient, acknowledged_by = current_user AS by_me;

-- the unacknowledged view: who, since when, for how long
SELECT subject, id, recipient, recipient_kind, waiting = now() - delivered_at AS waiting_ok
  FROM unacknowledged ORDER BY subject, id, recipient;

-- downward: an alert to several sectors reaches the ministries competent today
SELECT issue_alert('Ransomware campaign', 'Patch VPN gateways now.',
                   ARRAY['water', 'electricity', 'gas', 'electricity']::sector[], 'amber+strict') AS alert1 \gset
SELECT title, body, sectors, tlp, issued_at = now() AS now, issued_by = current_user AS by_me
  FROM alert WHERE id = :'alert1';
SELECT recipient, recipient_kind, forwarded_by, acknowledged_at FROM alert_delivery
 WHERE alert = :'alert1' ORDER BY recipient_kind, recipient;
-- the ministries competent for sectors on a day: both sides of the water move
SELECT _competent_ministries(ARRAY['water', 'medical']::sector[], '2024-03-31') AS before_move,
       _competent_ministries(ARRAY['water', 'medical']::sector[], '2024-04-01') AS after_move,
       _competent_ministries(ARRAY['chemical']::sector[], '2014-05-18') AS before_chemical,
       _competent_ministries(ARRAY['chemical']::sector[], '2014-05-19') AS chemical;

-- forwarding: METI passes it to its electricity and gas operators; the second time reaches
-- only operators registered since; forwarding is METI's acknowledgement
SELECT forward_alert(:'alert1', 'meti') AS reached;
SELECT forward_alert(:'alert1', 'meti') AS reached_again;
INSERT INTO operator (code, name, sector) VALUES ('osaka-gas', 'Osaka Gas', 'gas');
SELECT forward_alert(:'alert1', 'meti') AS reached_new;
SELECT forward_alert(:'alert1', 'mlit') AS reached_by_mlit;
SELECT recipient, recipient_kind, forwarded_by, acknowledged_at IS NOT NULL AS acknowledged
  FROM alert_delivery WHERE alert = :'alert1' ORDER BY recipient_kind, recipient;
-- an alert defaults to amber
SELECT issue_alert('Rail signalling advisory', NULL, ARRAY['rail']::sector[]) AS alert2 \gset
SELECT tlp, sectors FROM alert WHERE id = :'alert2';

-- acknowledging alerts
SELECT acknowledge_alert(:'alert1', 'tepco') = now() AS tepco_now,
       acknowledge_alert(:'alert1', 'tepco') = now() AS tepco_again;
-- (the alerts' ids are random: shown as <alert>)
SELECT e.state, regexp_replace(e.message, '[0-9a-f]{8}(-[0-9a-f]{4}){3}-[0-9a-f]{12}', '<alert>') AS message,
       e.detail, e.hint FROM (VALUES
  ($$SELECT ceptoar.issue_alert('x', 'y', ARRAY[]::ceptoar.sector[])$$),
  ($$SELECT ceptoar.issue_alert('x', 'y', NULL)$$),
  ($$SELECT ceptoar.issue_alert('x', 'y', ARRAY['gas', NULL]::ceptoar.sector[])$$),
  ($$SELECT ceptoar.issue_alert(' ', 'y', ARRAY['gas']::ceptoar.sector[])$$),
  ($$SELECT ceptoar.issue_alert('x', 'y', ARRAY['gas']::ceptoar.sector[], NULL)$$),
  ($$SELECT ceptoar.issue_alert('x', 'y', ARRAY['gaz']::ceptoar.sector[])$$),
  ($$SELECT ceptoar.forward_alert('00000000-0000-0000-0000-0000000000ff', 'meti')$$),
  ($$SELECT ceptoar.forward_alert(alert.id, 'moj') FROM ceptoar.alert WHERE title = 'Ransomware campaign'$$),
  ($$SELECT ceptoar.forward_alert(alert.id, NULL) FROM ceptoar.alert WHERE title = 'Ransomware campaign'$$),
  ($$SELECT ceptoar.forward_alert(alert.id, 'fsa') FROM ceptoar.alert WHERE title = 'Ransomware campaign'$$),
  ($$SELECT ceptoar.forward_alert(alert.id, 'mhlw') FROM ceptoar.alert WHERE title = 'Ransomware campaign'$$),
  ($$SELECT ceptoar.acknowledge_alert('00000000-0000-0000-0000-0000000000ff', 'meti')$$),
  ($$SELECT ceptoar.acknowledge_alert(alert.id, 'jr-east') FROM ceptoar.alert WHERE title = 'Ransomware campaign'$$),
  ($$SELECT ceptoar.acknowledge_alert(alert.id, 'jr-east') FROM ceptoar.alert WHERE title = 'Rail signalling advisory'$$),
  ($$UPDATE ceptoar.alert SET title = 'x'$$),
  ($$DELETE FROM ceptoar.alert$$),
  ($$TRUNCATE ceptoar.alert CASCADE$$),
  ($$DELETE FROM ceptoar.alert_delivery$$),
  ($$UPDATE ceptoar.alert_delivery SET forwarded_by = 'mlit' WHERE recipient = 'tepco'$$)
) AS t(stmt), LATERAL pg_temp.try(stmt) AS e;

-- who has not acknowledged the alerts, and since when
SELECT subject, recipient, recipient_kind, waiting = now() - delivered_at AS waiting_ok
  FROM unacknowledged WHERE subject = 'alert' ORDER BY recipient_kind, recipient;
SELECT subject, count(*) FROM unacknowledged GROUP BY subject ORDER BY subject;

-- a plain role: no privilege on the flows
CREATE ROLE regress_flows_nobody;
SET ROLE regress_flows_nobody;
SELECT e.state, e.message FROM (VALUES
  ($$SELECT * FROM ceptoar.unacknowledged$$),
  ($$SELECT * FROM ceptoar.report_delivery$$),
  ($$SELECT ceptoar.issue_alert('x', 'y', ARRAY['gas']::ceptoar.sector[])$$),
  ($$SELECT ceptoar.acknowledge_report('00000000-0000-0000-0000-000000000001', 'nisc')$$)
) AS t(stmt), LATERAL pg_temp.try(stmt) AS e;
RESET ROLE;
-- a role granted what a ministry needs, but no party, still sees nothing (row-level
-- security, access.sql: the policy of report_delivery reads ceptoar.report, which it may
-- not) and may not acknowledge
GRANT SELECT, UPDATE (acknowledged_at) ON report_delivery TO regress_flows_nobody;
GRANT EXECUTE ON FUNCTION acknowledge_report(uuid, text) TO regress_flows_nobody;
GRANT SELECT ON unacknowledged TO regress_flows_nobody;
SET ROLE regress_flows_nobody;
SELECT e.state, e.message FROM (VALUES
  ($$SELECT acknowledge_report('00000000-0000-0000-0000-000000000002', 'mlit')$$),
  ($$SELECT count(*) FROM ceptoar.report_delivery$$)
) AS t(stmt), LATERAL pg_temp.try(stmt) AS e;
RESET ROLE;
-- registered as the ministry mlit, it acknowledges as itself; the view shows it only the
-- deliveries it may read (security_invoker)
REVOKE ALL ON report_delivery, unacknowledged FROM regress_flows_nobody;
REVOKE ALL ON FUNCTION acknowledge_report(uuid, text) FROM regress_flows_nobody;
SELECT register_party('regress_flows_nobody', 'ministry', 'mlit');
SET ROLE regress_flows_nobody;
SELECT acknowledge_report('00000000-0000-0000-0000-000000000002', 'mlit') IS NOT NULL AS acknowledged;
-- again: no error, the first acknowledgement stays
SELECT acknowledge_report('00000000-0000-0000-0000-000000000002', 'mlit') = now() AS same_time;
-- acknowledged before (by the superuser), but not its own: refused
SELECT e.state, e.message FROM (VALUES
  ($$SELECT acknowledge_report('00000000-0000-0000-0000-000000000001', 'mhlw')$$)
) AS t(stmt), LATERAL pg_temp.try(stmt) AS e;
SELECT string_agg(recipient, ',' ORDER BY subject, recipient) AS unacknowledged_seen FROM unacknowledged;
RESET ROLE;
SELECT report, recipient, acknowledged_by FROM report_delivery
 WHERE (report, recipient) IN (('00000000-0000-0000-0000-000000000002', 'mlit'), ('00000000-0000-0000-0000-000000000001', 'mhlw'))
 ORDER BY report;
ROLLBACK;
