-- 070_rules.sql: rule sets as data, and classification against them

CREATE TABLE @extschema@.rule_set (
  code        text PRIMARY KEY CHECK (code OPERATOR(pg_catalog.~) '^[A-Za-z0-9][A-Za-z0-9_.-]*$'),
  title       text,
  kind        text NOT NULL
              CHECK (kind IN ('verification_level', 'legal_reporting', 'service_level')),
  source      text,
  valid_from  date,
  valid_to    date,
  owner       text,
  shipped     boolean NOT NULL DEFAULT false,
  CHECK (valid_from OPERATOR(pg_catalog.<) valid_to)
);
COMMENT ON TABLE @extschema@.rule_set IS
  'sets of threshold rules: verification levels (検証レベル), legal reporting thresholds, operators'' service levels; valid over [valid_from, valid_to) by the day (Japan time) an incident began';

CREATE TABLE @extschema@.rule (
  rule_set   text NOT NULL REFERENCES @extschema@.rule_set (code) ON UPDATE CASCADE ON DELETE CASCADE,
  service    @extschema@.service NOT NULL,
  criterion  @extschema@.criterion NOT NULL,
  clause_ja  text,
  clause_en  text,
  shipped    boolean NOT NULL DEFAULT false,
  PRIMARY KEY (rule_set, service)
);
COMMENT ON TABLE @extschema@.rule IS
  'one rule: the criterion under which an incident of the service (or of a service below it without a rule of its own) goes beyond the level';
COMMENT ON COLUMN @extschema@.rule.criterion IS 'true when the incident exceeds the level';

-- pg_dump keeps the rows users add; the shipped ones come back with CREATE EXTENSION.
SELECT pg_catalog.pg_extension_config_dump('@extschema@.rule_set', 'WHERE NOT shipped');
SELECT pg_catalog.pg_extension_config_dump('@extschema@.rule', 'WHERE NOT shipped');

-- nisc-2009: the 2nd Action Plan's verification levels (seed 001, table 検証レベル).
-- The Telecommunications Business Act's serious accidents (施行規則第58条) by the day an
-- incident began: telecom-2008 (every service alike, degradation included) until the
-- 2015 classes of telecom-2015 took effect (0.4; src/updates/0.4/070_telecom_rules.sql).
INSERT INTO @extschema@.rule_set (code, title, kind, source, valid_from, valid_to, owner, shipped) VALUES
  ('nisc-2009', '重要インフラの情報セキュリティ対策に係る第2次行動計画: 検証レベル',
   'verification_level', 'seed 001 (2nd Action Plan, table 検証レベル (一部表現を簡素化))',
   '2009-02-03', NULL, 'NISC', true),
  ('telecom-2015', '電気通信事業法 重大な事故 (施行規則第58条)',
   'legal_reporting',
   '電気通信事業法施行規則 第58条 as amended in 2015 (not in the seeds), classes by service. valid_from: MIC, 情報通信白書 令和6年版 (https://www.soumu.go.jp/johotsusintokei/whitepaper/ja/r06/html/nd212290.html): "2015年度から、電気通信サービス一律ではなく、電気通信サービスの区分別の報告基準が定められており"; MIC press release 2015-03-16 (https://www.soumu.go.jp/menu_news/s-news/01kiban05_02000089.html): consultation on the draft amendment of 第57条 and 第58条 closed, "速やかに規定の整備を行う予定"; the draft was reported to apply from 2015-04-01 (http://news.0rz.org/archives/9659883.html). Uncertain: the amending ordinance''s own provision on its date of effect (附則) was not found; 2015-04-01, the first day of FY2015, is the best documented date',
   '2015-04-01', NULL, 'MIC', true),
  ('telecom-2008', '電気通信事業法 重大な事故 (施行規則第58条, 2015年改正前: 全役務一律)',
   'legal_reporting',
   '電気通信事業法施行規則 第58条 before the 2015 amendment (not in the seeds; the same level as seed 001''s verification level for 情報通信): one rule for every telecommunications service, a stop or a degradation of quality reaching 30,000 users for 2 hours. MIC, 情報通信白書 令和6年版 (https://www.soumu.go.jp/johotsusintokei/whitepaper/ja/r06/html/nd212290.html): "2008年度から、電気通信役務の品質が低下した場合も重大な事故に該当することとなり"; MIC''s page on 重大な事故 before 2015 (https://www.soumu.go.jp/menu_seisaku/ictseisaku/net_anzen/jiko/judai.html): "電気通信役務の提供を停止又は品質を低下させた事故で、影響利用者数 3万 以上 かつ 継続時間 2時間 以上 のもの等". Uncertain: the source gives the fiscal year only, so valid_from is its first day (2008-04-01); valid_to is the day telecom-2015 starts',
   '2008-04-01', '2015-04-01', 'MIC', true),
  ('gas-report', 'ガス事業 供給支障事故の報告 (30戸以上: 24時間以内)',
   'legal_reporting', 'ガス関係報告規則 (Gas Business Act reporting rules; not in the seeds)',
   NULL, NULL, 'METI', true);

INSERT INTO @extschema@.rule (rule_set, service, criterion, clause_ja, clause_en, shipped) VALUES
  ('nisc-2009', 'telecom.telecommunications', 'users >= 30000 and duration >= 2 h',
   '電気通信役務の停止、品質の低下が、3万以上の利用者に対し2時間以上継続する事故が生じないこと',
   'no stop or degradation of telecommunications reaching 30,000 or more users for 2 hours or more', true),
  ('nisc-2009', 'telecom.broadcasting', 'effect in (stop)',
   '放送の停止が生じないこと', 'no stop of broadcasting', true),
  ('nisc-2009', 'finance.bank.deposit', 'effect in (stop, delay)',
   '預金の払戻しの遅延、停止が生じないこと', 'no delay or stop of deposit withdrawal', true),
  ('nisc-2009', 'finance.bank.lending', 'effect in (stop, delay)',
   '融資承諾をした貸付の実行の遅延、停止が生じないこと', 'no delay or stop in executing approved loans', true),
  ('nisc-2009', 'finance.bank.remittance', 'effect in (stop, delay)',
   '為替(銀行振込)の遅延、停止が生じないこと', 'no delay or stop of remittance (bank transfer)', true),
  ('nisc-2009', 'finance.life_insurance.claims', 'effect in (stop, delay)',
   '保険金等の支払いに遅延、停止が生じないこと', 'no delay or stop in paying claims', true),
  ('nisc-2009', 'finance.nonlife_insurance.claims', 'effect in (stop, delay)',
   '保険金等の支払いに遅延、停止が生じないこと', 'no delay or stop in paying claims', true),
  ('nisc-2009', 'finance.securities.custody', 'effect in (stop, delay)',
   '預り有価証券等の売却、解約代金の払い出し等に遅延、停止が生じないこと',
   'no delay or stop in selling deposited securities or paying out proceeds', true),
  ('nisc-2009', 'finance.securities.trading', 'effect in (stop, delay)',
   '有価証券の売買又は市場デリバティブ取引等に遅延、停止が生じないこと',
   'no delay or stop in trading securities or exchange-traded derivatives', true),
  ('nisc-2009', 'aviation.scheduled_flights', 'cancelled >= 1',
   '貨客の運送に支障を及ぼす定期便の欠航が生じないこと',
   'no cancellation of a scheduled flight that hinders carrying passengers or cargo', true),
  ('nisc-2009', 'rail.passenger', 'cancelled >= 1',
   '旅客の輸送に支障を及ぼす列車の運休が生じないこと',
   'no train cancellation that hinders carrying passengers', true),
  ('nisc-2009', 'electricity.supply', 'lost_kw >= 100000 and duration >= 10 min',
   '供給支障電力が10万キロワット以上で、その支障時間が10分以上の供給支障事故が生じないこと',
   'no supply outage of 100,000 kW or more lasting 10 minutes or more', true),
  ('nisc-2009', 'gas.supply', 'households >= 30',
   '供給支障戸数が30以上の供給支障事故が生じないこと',
   'no supply outage affecting 30 or more households', true),
  ('nisc-2009', 'government.administration', 'rights_impaired',
   '住民等の権利利益の保護に支障が生じないこと / 住民等の安全・安心を確保できる時間内にシステムの復旧を行うこと',
   'no hindrance to protecting residents'' rights and interests (expressed); recovery within the time that keeps residents safe (qualitative: no fixed time in the source, so not expressed: judge it case by case)', true),
  ('nisc-2009', 'medical.records', 'records_impaired',
   '診療録等の保存に支障が生じないこと', 'no hindrance to keeping medical records', true),
  ('nisc-2009', 'water.supply', 'water_quality or effect in (stop, degradation)',
   '断減水、水質異常、重大なシステム障害のうち給水に支障を及ぼすものが生じないこと',
   'no outage or reduced supply, water-quality anomaly, or serious system failure that hinders supply', true),
  ('nisc-2009', 'logistics.freight', 'cargo_lost or effect in (stop)',
   '貨物運送の停止や貨物の紛失が生じないこと', 'no stop of freight transport and no loss of cargo', true),

  ('telecom-2008', 'telecom.telecommunications', 'users >= 30000 and duration >= 2 h',
   '電気通信役務の提供を停止又は品質を低下させた事故で、影響利用者数3万以上かつ継続時間2時間以上のもの (2015年改正前、全役務一律)',
   'a stop or degradation of quality of any telecommunications service reaching 30,000 or more users for 2 hours or more (before the 2015 classes)', true),

  ('telecom-2015', 'telecom.telecommunications.emergency_voice', 'users >= 30000 and duration >= 1 h',
   '緊急通報を取り扱う音声伝送役務: 3万以上の利用者に対し1時間以上',
   'voice with emergency calls: 30,000 or more users for 1 hour or more', true),
  ('telecom-2015', 'telecom.telecommunications.voice',
   '(users >= 30000 and duration >= 2 h) or (users >= 100000 and duration >= 1 h)',
   '緊急通報を取り扱わない音声伝送役務: 3万以上の利用者に対し2時間以上、又は10万以上の利用者に対し1時間以上',
   'voice without emergency calls: 30,000 users for 2 hours, or 100,000 users for 1 hour', true),
  ('telecom-2015', 'telecom.telecommunications.free_internet',
   '(users >= 100000 and duration >= 24 h) or (users >= 1000000 and duration >= 12 h)',
   '利用者から料金の支払いを受けないインターネット関連サービス: 10万以上の利用者に対し24時間以上、又は100万以上の利用者に対し12時間以上',
   'internet services free of charge: 100,000 users for 24 hours, or 1,000,000 users for 12 hours', true),
  ('telecom-2015', 'telecom.telecommunications.data',
   '(users >= 30000 and duration >= 2 h) or (users >= 1000000 and duration >= 1 h)',
   '上記以外の電気通信役務: 3万以上の利用者に対し2時間以上、又は100万以上の利用者に対し1時間以上',
   'other services (data): 30,000 users for 2 hours, or 1,000,000 users for 1 hour', true),
  ('telecom-2015', 'telecom.telecommunications',
   '(users >= 30000 and duration >= 2 h) or (users >= 1000000 and duration >= 1 h)',
   '上記以外の電気通信役務: 3万以上の利用者に対し2時間以上、又は100万以上の利用者に対し1時間以上',
   'a service not classed: the rule for other services applies', true),

  ('gas-report', 'gas.supply', 'households >= 30',
   '供給支障戸数が30以上の供給支障事故: 事故の発生を知った時から24時間以内に報告',
   'a supply outage affecting 30 or more households: report within 24 hours of learning of it', true);

-- Shipped rows are read-only: a user's own levels go into rule sets of their own.  One
-- guard for both tables; the rule set of a row is its code in rule_set, its rule_set in
-- rule (each field is read only in the branch of its table: plpgsql parses a statement
-- when it first runs it).  TRUNCATE, which fires no row trigger, is refused while shipped
-- rows are there (pg_restore would bring them back: the dump keeps only users' rows).
CREATE FUNCTION @extschema@._rules_guard() RETURNS trigger
  LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
DECLARE
  is_set boolean := TG_TABLE_NAME = 'rule_set';
  set_code text;
BEGIN
  IF TG_LEVEL = 'STATEMENT' THEN
    IF is_set THEN
      SELECT min(s.code) INTO set_code FROM @extschema@.rule_set s WHERE s.shipped;
    ELSE
      SELECT min(r.rule_set) INTO set_code FROM @extschema@.rule r WHERE r.shipped;
    END IF;
    IF set_code IS NOT NULL THEN
      RAISE EXCEPTION 'rule set "%" is shipped with ceptoar_registry and cannot be changed', set_code
        USING ERRCODE = 'insufficient_privilege',
              HINT = pg_catalog.format('Delete the rows of your own instead: DELETE FROM ceptoar.%I WHERE NOT shipped.',
                                       TG_TABLE_NAME);
    END IF;
    RETURN NULL;
  END IF;
  IF TG_OP IN ('UPDATE', 'DELETE') AND OLD.shipped THEN
    IF is_set THEN set_code := OLD.code; ELSE set_code := OLD.rule_set; END IF;
    RAISE EXCEPTION 'rule set "%" is shipped with ceptoar_registry and cannot be changed', set_code
      USING ERRCODE = 'insufficient_privilege',
            HINT = 'Create a rule set of your own (INSERT INTO ceptoar.rule_set ...) and add rules to it.';
  END IF;
  IF TG_OP IN ('INSERT', 'UPDATE') THEN
    IF NEW.shipped THEN
      RAISE EXCEPTION 'only ceptoar_registry itself ships %', CASE WHEN is_set THEN 'rule sets' ELSE 'rules' END
        USING ERRCODE = 'insufficient_privilege', HINT = 'Leave shipped false.';
    END IF;
    IF NOT is_set THEN
      IF EXISTS (SELECT 1 FROM @extschema@.rule_set s
                  WHERE s.code OPERATOR(pg_catalog.=) NEW.rule_set AND s.shipped) THEN
        RAISE EXCEPTION 'rule set "%" is shipped with ceptoar_registry and cannot be changed', NEW.rule_set
          USING ERRCODE = 'insufficient_privilege',
                HINT = 'Create a rule set of your own (INSERT INTO ceptoar.rule_set ...) and add rules to it.';
      END IF;
    END IF;
  END IF;
  RETURN CASE WHEN TG_OP = 'DELETE' THEN OLD ELSE NEW END;
END $$;
COMMENT ON FUNCTION @extschema@._rules_guard() IS
  'keeps the shipped rule sets and their rules read-only (triggers rules_guard and rules_guard_truncate on rule_set and rule)';

CREATE TRIGGER rules_guard BEFORE INSERT OR UPDATE OR DELETE ON @extschema@.rule_set
  FOR EACH ROW EXECUTE FUNCTION @extschema@._rules_guard();
CREATE TRIGGER rules_guard BEFORE INSERT OR UPDATE OR DELETE ON @extschema@.rule
  FOR EACH ROW EXECUTE FUNCTION @extschema@._rules_guard();
CREATE TRIGGER rules_guard_truncate BEFORE TRUNCATE ON @extschema@.rule_set
  FOR EACH STATEMENT EXECUTE FUNCTION @extschema@._rules_guard();
CREATE TRIGGER rules_guard_truncate BEFORE TRUNCATE ON @extschema@.rule
  FOR EACH STATEMENT EXECUTE FUNCTION @extschema@._rules_guard();

-- A relcache invalidation after every change: each backend's rule cache follows the
-- statement's snapshot by itself, and checks its user's privileges again (src/cache.c).
CREATE FUNCTION @extschema@._cache_invalidate() RETURNS trigger
  AS 'MODULE_PATHNAME', 'cache_invalidate' LANGUAGE C;
COMMENT ON FUNCTION @extschema@._cache_invalidate() IS
  'statement trigger of the rule tables: a relcache invalidation, after which every backend checks its user''s privileges for the rule cache again';
CREATE TRIGGER rules_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON @extschema@.rule_set
  FOR EACH STATEMENT EXECUTE FUNCTION @extschema@._cache_invalidate();
CREATE TRIGGER rules_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON @extschema@.rule
  FOR EACH STATEMENT EXECUTE FUNCTION @extschema@._cache_invalidate();

CREATE TYPE @extschema@.verdict AS (
  outcome      text,
  rule_set     text,
  rule_service @extschema@.service,
  clause       text,
  criterion    @extschema@.criterion,
  explanation  text
);
COMMENT ON TYPE @extschema@.verdict IS
  'result of classify: outcome (exceeds, within, undetermined, no_rule), the rule that decided, and a sentence for a report';

CREATE FUNCTION @extschema@.classify(i @extschema@.incident, rule_set text DEFAULT 'nisc-2009')
  RETURNS @extschema@.verdict
  AS 'MODULE_PATHNAME', 'incident_classify' LANGUAGE C STABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.classify(@extschema@.incident, text) IS
  'classifies an incident against a rule set (default nisc-2009): outcome, rule, clause, criterion and explanation';

CREATE FUNCTION @extschema@.exceeds(i @extschema@.incident, rule_set text DEFAULT 'nisc-2009')
  RETURNS boolean
  AS 'MODULE_PATHNAME', 'incident_exceeds' LANGUAGE C STABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.exceeds(@extschema@.incident, text) IS
  'whether an incident goes beyond its level in a rule set (default nisc-2009); NULL when undetermined or there is no rule';
