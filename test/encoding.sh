#!/usr/bin/env bash
# test/encoding.sh: the extension in a database that is not UTF8 (EUC_JP, common in
# Japanese installations, and SQL_ASCII): it installs (the script is declared UTF8 in the
# control file and converted), Japanese names read and print in the database's encoding,
# and input errors give their report (22P02 with its detail and hint), not an encoding error.
# Runs against the server in PGHOST/PGPORT as a superuser; prints TAP.
set -euo pipefail
export PGCLIENTENCODING=UTF8
dbs="ceptoar_enc_eucjp ceptoar_enc_ascii"
trap 'for d in $dbs; do dropdb --if-exists $d 2>/dev/null; done' EXIT
for d in $dbs; do dropdb --if-exists $d 2>/dev/null; done
createdb -E EUC_JP -T template0 --locale=C ceptoar_enc_eucjp
createdb -E SQL_ASCII -T template0 --locale=C ceptoar_enc_ascii
n=0; fail=0
check() {   # check description expected actual
	n=$((n + 1))
	if [ "$2" = "$3" ]; then echo "ok $n - $1"; else echo "not ok $n - $1 (expected '$2', got '$3')"; fail=1; fi
}
q() { psql -X -q -At -v VERBOSITY=verbose -d "$1" -c "$2" 2>&1; }
echo "1..11"
check "EUC_JP: CREATE EXTENSION" "" "$(q ceptoar_enc_eucjp "SET client_min_messages = warning; CREATE EXTENSION ceptoar_registry CASCADE")"
check "EUC_JP: a Japanese sector name reads" "electricity|ガス" \
	"$(q ceptoar_enc_eucjp "SELECT '電力'::ceptoar.sector || '|' || ceptoar.name_ja('gas'::ceptoar.sector)")"
check "EUC_JP: a misspelt name gives the report, with the nearest name (in the detail, 0.5)" \
	'ERROR:  22P02: invalid input syntax for type ceptoar.sector: "電カ"|DETAIL:  Unknown sector "電カ". Did you mean "電力"?' \
	"$(q ceptoar_enc_eucjp "SELECT '電カ'::ceptoar.sector" | grep -E '^(ERROR|DETAIL)' | paste -sd'|')"
check "EUC_JP: a bad service path too" "22P02" \
	"$(q ceptoar_enc_eucjp "SELECT '電力.supplyx'::ceptoar.service" | sed -n 's/^ERROR:  \([0-9A-Z]*\):.*/\1/p')"
check "EUC_JP: a criterion error's detail" 'DETAIL:  Unexpected "停電" at character 16.' \
	"$(q ceptoar_enc_eucjp "SELECT 'users >= 1 and 停電'::ceptoar.criterion" | grep '^DETAIL')"
# 0.4: the exercises' Japanese themes; the ratings, whose arrow (U+25B6) EUC_JP lacks: the
# server's own 22P05 for a rise above 0, everything else works
check "EUC_JP: an exercise's theme reads" "広域停電|finance" \
	"$(q ceptoar_enc_eucjp "SELECT theme_ja || '|' || (SELECT min(code) FROM ceptoar.ceptoars WHERE scope_ja = '証券') FROM ceptoar.exercises WHERE code = 'fy2009'")"
check "EUC_JP: inspection_rating, and rise_arrows without an arrow" "B|-" \
	"$(q ceptoar_enc_eucjp "SELECT ceptoar.inspection_rating(80) || '|' || ceptoar.rise_arrows(0)")"
check "EUC_JP: rise_arrows with an arrow: 22P05, the character EUC_JP lacks" "22P05" \
	"$(q ceptoar_enc_eucjp "SELECT ceptoar.rise_arrows(5)" | sed -n 's/^ERROR:  \([0-9A-Z]*\):.*/\1/p')"
check "SQL_ASCII: CREATE EXTENSION" "" "$(q ceptoar_enc_ascii "SET client_min_messages = warning; CREATE EXTENSION ceptoar_registry CASCADE")"
check "SQL_ASCII: the catalogue" "46|情報通信" \
	"$(q ceptoar_enc_ascii "SELECT count(*) || '|' || min(name_ja) FILTER (WHERE code::text = 'telecom') FROM ceptoar.services")"
check "SQL_ASCII: rise_arrows gives the arrows' UTF-8 bytes" "▶▶▶▶▶|▶" \
	"$(q ceptoar_enc_ascii "SELECT ceptoar.rise_arrows(41) || '|' || ceptoar.rise_arrows(0.5)")"
exit $fail
