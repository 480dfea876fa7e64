#!/usr/bin/env bash
# scripts/test.sh: install what is missing (Debian 12), build with -Werror,
# install, start a throwaway cluster and run every test: pg_regress (sql/,
# expected/), pgTAP through pg_prove (test/*.sql), the TAP shell tests
# (test/*.sh: dump and restore, graph image, install security, upgrades) and
# the isolationtester specs; then the crash test (its own cluster, kill -9), a
# bounded fuzzing pass (FUZZ_TIME seconds a target, default 20; 0 skips) and
# pg_regress under valgrind but for impact_large (VALGRIND=0 skips; the whole
# suite under valgrind, about 40 minutes: make valgrind-check).
# Exits non-zero if anything failed, after printing the diffs.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/lib.sh

ensure_packages "${BASE_PACKAGES[@]}" "${TEST_PACKAGES[@]}"
build_and_install

export PG_CONFIG="/usr/lib/postgresql/$PG_MAJOR/bin/pg_config"
export PATH="/usr/lib/postgresql/$PG_MAJOR/bin:$PATH"
rm -f regression.diffs
# wal_level logical: test/graph_image.sh also checks a logical-replication subscriber
pg_virtualenv -t -v "$PG_MAJOR" -o wal_level=logical bash -c '
	rc=0
	echo "== pg_regress"
	if ! make -s installcheck; then
		rc=1
		[ -f regression.diffs ] && cat regression.diffs
	fi
	echo "== pgTAP"
	make -s prove_installcheck || rc=1
	echo "== shell tests (dump and restore, graph image, install security, upgrades)"
	make -s scriptcheck || rc=1
	echo "== isolation specs"
	if ! make -s isolationcheck; then
		rc=1
		[ -f test/isolation/output_iso/regression.diffs ] && cat test/isolation/output_iso/regression.diffs
	fi
	exit $rc
'

echo "== crash test (kill -9 during writes)"
make -s crashcheck
if [ "${FUZZ_TIME:-20}" != 0 ]; then
	echo "== fuzzing, ${FUZZ_TIME:-20} s a target"
	make -s fuzz FUZZ_TIME="${FUZZ_TIME:-20}"
fi
if [ "${VALGRIND:-1}" != 0 ]; then
	echo "== pg_regress under valgrind memcheck"
	VALGRIND_TESTS="$(ls sql/*.sql | sed 's|sql/\(.*\)\.sql|\1|' | grep -vx impact_large | tr '\n' ' ')" \
		VALGRIND_TAP="" bash scripts/valgrind/run.sh
fi
