-- 110_exercises.sql: the cross-sector exercises (分野横断的演習, seed 000) and users' own
-- exercises; a report filed in an exercise names it (issue 12, section 5).

-- Shipped rows stay read-only, rows of users are theirs: the design of _rules_guard
-- (070_rules.sql) for any table with a key column and a boolean column shipped.
-- Trigger arguments: the key column (named in messages), and optionally a regular
-- expression of keys reserved for shipped rows (so that a later release can ship more
-- without colliding with users' rows, also on restore).  TRUNCATE, which fires no row
-- trigger, is refused while shipped rows are there (pg_restore would bring them back:
-- the dump keeps only users' rows).
CREATE FUNCTION @extschema@._shipped_guard() RETURNS trigger
  LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
DECLARE
  key_column text := TG_ARGV[0];
  reserved text := CASE WHEN TG_NARGS OPERATOR(pg_catalog.>) 1 THEN TG_ARGV[1] END;
  tbl text := pg_catalog.format('%I.%I', TG_TABLE_SCHEMA, TG_TABLE_NAME);
  found_key text;
BEGIN
  IF TG_LEVEL = 'STATEMENT' THEN
    EXECUTE pg_catalog.format('SELECT pg_catalog.min(t.%I::pg_catalog.text) FROM %s t WHERE t.shipped',
                              key_column, tbl)
      INTO found_key;
    IF found_key IS NOT NULL THEN
      RAISE EXCEPTION 'cannot truncate %: row "%" and the other shipped rows come with ceptoar_registry', tbl, found_key
        USING ERRCODE = 'insufficient_privilege',
              HINT = pg_catalog.format('Delete the rows of your own instead: DELETE FROM %s WHERE NOT shipped.', tbl);
    END IF;
    RETURN NULL;
  END IF;
  IF TG_OP IN ('UPDATE', 'DELETE') AND OLD.shipped THEN
    RAISE EXCEPTION 'row "%" of % is shipped with ceptoar_registry and cannot be changed',
        pg_catalog.to_jsonb(OLD) OPERATOR(pg_catalog.->>) key_column, tbl
      USING ERRCODE = 'insufficient_privilege',
            HINT = pg_catalog.format('Add a row of your own instead (INSERT INTO %s ...).', tbl);
  END IF;
  IF TG_OP IN ('INSERT', 'UPDATE') THEN
    IF NEW.shipped THEN
      RAISE EXCEPTION 'only ceptoar_registry itself ships rows of %', tbl
        USING ERRCODE = 'insufficient_privilege', HINT = 'Leave shipped false.';
    END IF;
    found_key := pg_catalog.to_jsonb(NEW) OPERATOR(pg_catalog.->>) key_column;
    IF reserved IS NOT NULL AND found_key OPERATOR(pg_catalog.~) reserved THEN
      RAISE EXCEPTION '% "%" is reserved for the rows ceptoar_registry ships', key_column, found_key
        USING ERRCODE = 'check_violation',
              DETAIL = pg_catalog.format('In %s, values of %s matching %s are kept for shipped rows.',
                                         tbl, key_column, reserved),
              HINT = pg_catalog.format('Choose another %s, e.g. "own-%s".', key_column, found_key);
    END IF;
  END IF;
  RETURN CASE WHEN TG_OP = 'DELETE' THEN OLD ELSE NEW END;
END $$;
COMMENT ON FUNCTION @extschema@._shipped_guard() IS
  'keeps a table''s shipped rows read-only and refuses shipped = true from users; arguments: the key column, and a regular expression of keys reserved for shipped rows (triggers shipped_guard and shipped_guard_truncate on exercises)';

CREATE TABLE @extschema@.exercises (
  code          text PRIMARY KEY CHECK (code OPERATOR(pg_catalog.~) '^[A-Za-z0-9][A-Za-z0-9_.-]*$'),
  fiscal_year   integer NOT NULL CHECK (fiscal_year BETWEEN 1 AND 9999),
  held          date,
  theme_ja      text,
  theme_en      text,
  goal_ja       text,
  format_ja     text,
  description_ja text,
  organisations integer CHECK (organisations OPERATOR(pg_catalog.>=) 0),
  participants  integer CHECK (participants OPERATOR(pg_catalog.>=) 0),
  source        text,
  shipped       boolean NOT NULL DEFAULT false,
  CONSTRAINT exercises_held_in_fiscal_year
    CHECK (held IS NULL OR @extschema@.fiscal_year(held) OPERATOR(pg_catalog.=) fiscal_year)
);
COMMENT ON TABLE @extschema@.exercises IS
  'exercises a report can belong to (report.exercise): the cross-sector exercises 分野横断的演習 FY2006-FY2013 of seed 000 (shipped, read-only) and users'' own; a report of an exercise is a real record of its scenario, never counted in statistics';
COMMENT ON COLUMN @extschema@.exercises.code IS
  'stable ASCII code; the shipped exercises are fy<year>, a form reserved for them';
COMMENT ON COLUMN @extschema@.exercises.fiscal_year IS 'Japanese fiscal year (April to March) in which it was held';
COMMENT ON COLUMN @extschema@.exercises.held IS 'first day (Japan time); NULL when not known (the seed gives no days)';
COMMENT ON COLUMN @extschema@.exercises.theme_ja IS
  'theme: the seed''s テーマ (FY2009-2013) or the threat it says was set (FY2006-2007); NULL where the seed names none';
COMMENT ON COLUMN @extschema@.exercises.theme_en IS 'the theme in English (translation ours for the shipped rows)';
COMMENT ON COLUMN @extschema@.exercises.goal_ja IS 'goal (目標) as the seed states it';
COMMENT ON COLUMN @extschema@.exercises.format_ja IS 'kind of exercise (研究的演習, 机上演習, 機能演習) where the seed says';
COMMENT ON COLUMN @extschema@.exercises.description_ja IS 'what the seed says was done';
COMMENT ON COLUMN @extschema@.exercises.organisations IS 'participating organisations, where stated';
COMMENT ON COLUMN @extschema@.exercises.participants IS 'participating people, where stated';
COMMENT ON COLUMN @extschema@.exercises.source IS 'where each value comes from, and what the source does not say';
COMMENT ON COLUMN @extschema@.exercises.shipped IS 'true: shipped with ceptoar_registry, read-only';

-- pg_dump keeps the rows users add; the shipped ones come back with CREATE EXTENSION.
SELECT pg_catalog.pg_extension_config_dump('@extschema@.exercises', 'WHERE NOT shipped');

-- Seed 000, "分野横断的演習 ～過去の実施実績～" and the page before it ([目的], [参加機関]).
-- Where the seed says nothing the column is NULL and source says so.
INSERT INTO @extschema@.exercises
  (code, fiscal_year, theme_ja, theme_en, goal_ja, format_ja, description_ja, organisations, participants, source, shipped)
VALUES
  ('fy2006', 2006, '災害', 'disaster',
   '官民連携の仕組みづくり (第1次行動計画【目標】官民連携の充実)', '研究的演習、机上演習',
   '研究的演習: 演習実施概念、演習課題設定、演習手法の理解等を主眼として実施。机上演習: 脅威として災害を設定し、会議形式の演習を実施。',
   NULL, NULL,
   'seed 000 (分野横断的演習 ～過去の実施実績～, <2006年度>). The seed has no テーマ row for the 1st plan''s years: theme is the threat it says was set ("脅威として災害を設定し"). No date, no participants given.',
   true),
  ('fy2007', 2007, 'DDoS攻撃', 'DDoS attack',
   '官民連携体制の機能向上 (第1次行動計画【目標】官民連携の充実)', '機能演習',
   '脅威としてDDoS攻撃を設定し、チーム毎に個室に分かれ、メールのみを利用した演習を実施。',
   NULL, NULL,
   'seed 000 (分野横断的演習 ～過去の実施実績～, <2007年度>). The seed has no テーマ row for the 1st plan''s years: theme is the threat it says was set ("脅威としてDDoS攻撃を設定し"). No date, no participants given.',
   true),
  ('fy2008', 2008, NULL, NULL,
   '官民連携体制の実効性向上 (第1次行動計画【目標】官民連携の充実)', '機能演習',
   '参加者にIT障害の発生原因を知らせない等より現実に近い状況で、起こった現象に関する関係者間の情報共有により原因を特定し、サービスの維持・早期復旧や事業継続等を行っていく演習を実施。',
   NULL, NULL,
   'seed 000 (分野横断的演習 ～過去の実施実績～, <2008年度>). The seed names no theme or threat for FY2008, only its form (an IT failure whose cause the players were not told): theme NULL. No date, no participants given.',
   true),
  ('fy2009', 2009, '広域停電', 'wide-area blackout',
   '重要インフラ事業者におけるBCP等の実効性の確認・問題点抽出 (第2次行動計画【目標】)', NULL, NULL,
   NULL, NULL,
   'seed 000 (分野横断的演習 ～過去の実施実績～, 第2次行動計画, テーマ 2009年度). The seed does not say which of its 取組 ①-⑦ belong to which year (its table is flattened), nor the kind of exercise, date or participants.',
   true),
  ('fy2010', 2010, '大規模通信障害', 'large-scale telecommunications failure',
   '重要インフラ事業者におけるBCP等の実効性の確認・問題点抽出 (第2次行動計画【目標】)', NULL, NULL,
   NULL, NULL,
   'seed 000 (分野横断的演習 ～過去の実施実績～, 第2次行動計画, テーマ 2010年度). No kind of exercise, date or participants given.',
   true),
  ('fy2011', 2011, '重要インフラ複合障害', 'compound failure of critical infrastructure',
   '重要インフラ事業者におけるBCP等の実効性の確認・問題点抽出 (第2次行動計画【目標】)', NULL, NULL,
   NULL, NULL,
   'seed 000 (分野横断的演習 ～過去の実施実績～, 第2次行動計画, テーマ 2011年度). No kind of exercise, date or participants given.',
   true),
  ('fy2012', 2012, '重要インフラ複合障害 + 便乗型ITインシデント', 'compound failure of critical infrastructure + opportunistic IT incident',
   '重要インフラ事業者におけるBCP等の実効性の確認・問題点抽出 (第2次行動計画【目標】)', NULL, NULL,
   42, 148,
   'seed 000 (分野横断的演習 ～過去の実施実績～, 第2次行動計画, テーマ 2012年度; participants: [参加機関] "42組織148名(平成24年度実績)"). No kind of exercise or date given.',
   true),
  ('fy2013', 2013, '情報セキュリティインシデント', 'information-security incident',
   '重要インフラ事業者におけるBCP等の実効性の確認・問題点抽出 (第2次行動計画【目標】)', NULL,
   '⑦ 第三者による助言の充実 (the seed''s 取組 row, in the FY2013 column)',
   NULL, NULL,
   'seed 000 (分野横断的演習 ～過去の実施実績～, 第2次行動計画, テーマ 2013年度). Planned when the seed was written (2013-10-04: "2006年度より継続実施(計7回)", i.e. FY2006-FY2012 held). No kind of exercise, date or participants given.',
   true);

CREATE TRIGGER shipped_guard BEFORE INSERT OR UPDATE OR DELETE ON @extschema@.exercises
  FOR EACH ROW EXECUTE FUNCTION @extschema@._shipped_guard('code', '^[Ff][Yy][0-9]+$');
CREATE TRIGGER shipped_guard_truncate BEFORE TRUNCATE ON @extschema@.exercises
  FOR EACH STATEMENT EXECUTE FUNCTION @extschema@._shipped_guard('code');
