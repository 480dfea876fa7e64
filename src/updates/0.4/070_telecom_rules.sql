-- 0.4/070_telecom_rules.sql: legal thresholds by the day an incident began (issue 12,
-- section 2).  telecom-2015 holds from 2015-04-01; telecom-2008, the rule before the 2015
-- classes, is shipped as its own rule set.  The same rows as src/sql/070_rules.sql.
-- The guard (_rules_guard) refuses any change of a shipped row, so the update turns it
-- off for these statements and on again, in its one transaction: nobody else sees the
-- tables in between (ALTER TABLE locks them).  The rule cache's statement triggers stay
-- on, so every backend reads the rules again.
DO $refdata$
BEGIN
  IF EXISTS (SELECT 1 FROM @extschema@.rule_set s
              WHERE s.code OPERATOR(pg_catalog.=) 'telecom-2008' AND NOT s.shipped) THEN
    RAISE EXCEPTION 'cannot update ceptoar_registry: a rule set of yours is named "telecom-2008"'
      USING ERRCODE = 'object_not_in_prerequisite_state',
            DETAIL = '0.4 ships the Telecommunications Business Act''s rule of 2008 to 2015 under that code.',
            HINT = 'Rename yours (UPDATE ceptoar.rule_set SET code = ''my-telecom-2008'' WHERE code = ''telecom-2008''; its rules follow), then update again.';
  END IF;
END
$refdata$;

ALTER TABLE @extschema@.rule_set DISABLE TRIGGER rules_guard;
ALTER TABLE @extschema@.rule DISABLE TRIGGER rules_guard;

UPDATE @extschema@.rule_set
   SET valid_from = '2015-04-01',
       source = '電気通信事業法施行規則 第58条 as amended in 2015 (not in the seeds), classes by service. valid_from: MIC, 情報通信白書 令和6年版 (https://www.soumu.go.jp/johotsusintokei/whitepaper/ja/r06/html/nd212290.html): "2015年度から、電気通信サービス一律ではなく、電気通信サービスの区分別の報告基準が定められており"; MIC press release 2015-03-16 (https://www.soumu.go.jp/menu_news/s-news/01kiban05_02000089.html): consultation on the draft amendment of 第57条 and 第58条 closed, "速やかに規定の整備を行う予定"; the draft was reported to apply from 2015-04-01 (http://news.0rz.org/archives/9659883.html). Uncertain: the amending ordinance''s own provision on its date of effect (附則) was not found; 2015-04-01, the first day of FY2015, is the best documented date'
 WHERE code OPERATOR(pg_catalog.=) 'telecom-2015' AND shipped;

INSERT INTO @extschema@.rule_set (code, title, kind, source, valid_from, valid_to, owner, shipped) VALUES
  ('telecom-2008', '電気通信事業法 重大な事故 (施行規則第58条, 2015年改正前: 全役務一律)',
   'legal_reporting',
   '電気通信事業法施行規則 第58条 before the 2015 amendment (not in the seeds; the same level as seed 001''s verification level for 情報通信): one rule for every telecommunications service, a stop or a degradation of quality reaching 30,000 users for 2 hours. MIC, 情報通信白書 令和6年版 (https://www.soumu.go.jp/johotsusintokei/whitepaper/ja/r06/html/nd212290.html): "2008年度から、電気通信役務の品質が低下した場合も重大な事故に該当することとなり"; MIC''s page on 重大な事故 before 2015 (https://www.soumu.go.jp/menu_seisaku/ictseisaku/net_anzen/jiko/judai.html): "電気通信役務の提供を停止又は品質を低下させた事故で、影響利用者数 3万 以上 かつ 継続時間 2時間 以上 のもの等". Uncertain: the source gives the fiscal year only, so valid_from is its first day (2008-04-01); valid_to is the day telecom-2015 starts',
   '2008-04-01', '2015-04-01', 'MIC', true);
INSERT INTO @extschema@.rule (rule_set, service, criterion, clause_ja, clause_en, shipped) VALUES
  ('telecom-2008', 'telecom.telecommunications', 'users >= 30000 and duration >= 2 h',
   '電気通信役務の提供を停止又は品質を低下させた事故で、影響利用者数3万以上かつ継続時間2時間以上のもの (2015年改正前、全役務一律)',
   'a stop or degradation of quality of any telecommunications service reaching 30,000 or more users for 2 hours or more (before the 2015 classes)', true);

ALTER TABLE @extschema@.rule_set ENABLE TRIGGER rules_guard;
ALTER TABLE @extschema@.rule ENABLE TRIGGER rules_guard;
