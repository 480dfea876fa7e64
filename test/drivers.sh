#!/usr/bin/env bash
# test/drivers.sh: the extension as reporting tools reach it, with the Debian 12 packages
# (scripts/lib.sh installs them in CI): psycopg2, psycopg 3 (text, binary, and binary with
# scripts/clients/ceptoar_psycopg.py), PgJDBC (a small Java program compiled here), psqlODBC
# through pyodbc, and GDAL's ogr2ogr.  Each driver writes and reads every type, runs a
# classification, and gets a bad literal's SQLSTATE (with the "did you mean" suggestion
# where the driver shows it); GDAL exports an impact with its geometry to GeoPackage.
# Runs against the server in PGHOST/PGPORT (PGUSER, PGPASSWORD) as a superuser; prints TAP.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=${DRIVERS_PYTHON:-/usr/bin/python3}   # Debian's python3, which has the driver packages
db=ceptoar_drivers
work=$(mktemp -d)
trap 'dropdb --if-exists $db 2>/dev/null; rm -rf "$work"' EXIT
dropdb --if-exists $db 2>/dev/null
createdb $db
export PGDATABASE=$db

# The setup the README recommends: the schema on the database's search_path.  The NOTICE
# of CREATE EXTENSION says to run exactly that when it is missing.
notice=$(psql -X -q -d $db -c "CREATE EXTENSION ceptoar_registry CASCADE" 2>&1)
run=$(printf '%s\n' "$notice" | sed -n 's/^DETAIL:  Run: \(ALTER DATABASE .*\)$/\1/p')
psql -X -q -d $db -v ON_ERROR_STOP=1 -c "$run" >/dev/null
results="$work/results"
: > "$results"
say() { printf '%s\n' "$@" >> "$results"; }
check() {   # check description expected actual
	if [ "$2" = "$3" ]; then say "ok - $1"; else say "not ok - $1 (expected '$2', got '$3')"; fi
}

check "CREATE EXTENSION says how to put the schema on the database's search_path" \
	"ALTER DATABASE $db SET search_path = \"\$user\", public, ceptoar;" "$run"
check "after that, a new session finds the operators unqualified" "t" \
	"$(psql -X -At -c "SELECT 'gas'::sector < 'water'::sector AND 'gas'::sector LIKE 'g%'")"
check "no NOTICE when the schema is already on the path" "" \
	"$(psql -X -q -c "DROP EXTENSION ceptoar_registry" -c "CREATE EXTENSION ceptoar_registry" 2>&1)"
psql -X -q -v ON_ERROR_STOP=1 >/dev/null <<'EOF'
SET client_min_messages = warning;
CREATE TABLE drv (id int PRIMARY KEY, s sector, v service, i incident, c criterion, l tlp);
INSERT INTO operator (code, name, sector) VALUES ('power-co', 'Power Co.', 'electricity'), ('tel-co', 'Tel Co.', 'telecom');
INSERT INTO service_instance (id, service, population, operator, name, area) VALUES
  (1, 'electricity.supply', 1000, 'power-co', 'power', ST_Multi(ST_MakeEnvelope(139, 35, 140, 36, 4326))),
  (2, 'telecom.telecommunications', 500, 'tel-co', 'telecom', ST_Multi(ST_MakeEnvelope(139.5, 35, 140.5, 36, 4326)));
INSERT INTO dependency (dependent, supplier, buffer, mode) VALUES (2, 1, '3 hours', 'area');
CREATE VIEW outage AS SELECT * FROM impact(1, '2024-01-15 09:00+09', '10 hours');
EOF

# ---------------------------------------------------------------------------
# Python drivers: psycopg2, psycopg 3, pyodbc (psqlODBC)
PYTHONPATH=scripts/clients "$PY" - >> "$results" 2>&1 <<'EOF' || say "not ok - the Python drivers' script ran to its end"
import datetime, os
INC = 'service=gas.supply, began=2024-01-15 09:00+09, households=100000, lasted=3 h'
INC_OUT = ('service=gas.supply, effect=stop, began=2024-01-15 09:00:00+09, lasted=3 h, cause=unknown, '
           'users=unknown, households=100000, lost_kw=unknown, cancelled=unknown, flags={}')
ROW = ('gas', 'finance.bank.deposit', INC, 'users >= 30000 and duration >= 2 h', 'amber+strict')
ROW_OUT = ('gas', 'finance.bank.deposit', INC_OUT, 'users >= 30000 and duration >= 2 h', 'amber+strict')

def check(desc, want, got):
    print(("ok - " if want == got else "not ok - ") + desc + ("" if want == got else f" (expected {want!r}, got {got!r})"))

def select_row(cur, id_):
    cur.execute("SELECT s, v, i, c, l FROM drv WHERE id = %s", (id_,))
    return tuple(cur.fetchone())

# psycopg2: parameters inlined as literals
import psycopg2, psycopg2.errors
conn = psycopg2.connect(""); conn.autocommit = True
cur = conn.cursor()
cur.execute("INSERT INTO drv VALUES (1, %s, %s, %s, %s, %s)", ROW)
check("psycopg2: writes and reads every type", ROW_OUT, select_row(cur, 1))
cur.execute("SELECT (classify(%s)).outcome, (classify(%s::incident, %s)).clause IS NOT NULL", (INC, INC, 'nisc-2009'))
check("psycopg2: classify", ('exceeds', True), cur.fetchone())
cur.execute("SELECT count(*) FROM drv WHERE s LIKE %s AND v ILIKE %s", ('ga%', 'FINANCE.%'))
check("psycopg2: LIKE and ILIKE on sector and service", (1,), cur.fetchone())
try:
    cur.execute("SELECT %s::sector", ('gaz',))
    check("psycopg2: a bad literal fails", '22P02', None)
except psycopg2.Error as e:
    check("psycopg2: a bad literal gives 22P02", '22P02', e.pgcode)
    check("psycopg2: the suggestion in the detail", 'Unknown sector "gaz". Did you mean "gas"?', e.diag.message_detail)
conn.close()

# psycopg 3: text parameters (unknown type), binary parameters (text type: the assignment
# casts and classify(text)), binary results raw, and with the adapters
import psycopg, ceptoar_psycopg as cp
with psycopg.connect("", autocommit=True) as conn:
    conn.execute("INSERT INTO drv VALUES (2, %s, %s, %s, %s, %s)", ROW)
    check("psycopg 3 (text): writes and reads every type", ROW_OUT, select_row(conn.cursor(), 2))
    conn.execute("INSERT INTO drv VALUES (3, %b, %b, %b, %b, %b)", ROW)
    check("psycopg 3 (binary parameters): writes every type through the assignment casts", ROW_OUT, select_row(conn.cursor(), 3))
    conn.execute("UPDATE drv SET l = %b WHERE id = 3", ('red',))
    check("psycopg 3 (binary parameters): UPDATE", ('red',), conn.execute("SELECT l FROM drv WHERE id = 3").fetchone())
    check("psycopg 3 (binary parameters): classify(%b, %b)", ('exceeds',),
          conn.execute("SELECT (classify(%b, %b)).outcome", (INC, 'nisc-2009')).fetchone())
    raw = conn.cursor(binary=True).execute("SELECT s, l FROM drv WHERE id = 2").fetchone()
    check("psycopg 3 (binary results) without adapters: the documented bytes", (b'\x01gas', b'\x01\x03'), tuple(bytes(x) for x in raw))
    try:
        conn.execute("SELECT %b::text::tlp", ('amberr',))
        check("psycopg 3: a bad literal fails", '22P02', None)
    except psycopg.Error as e:
        check("psycopg 3: a bad literal gives 22P02", '22P02', e.sqlstate)
        check("psycopg 3: the suggestion in the detail", 'Unknown TLP label "amberr". Did you mean "amber"?', e.diag.message_detail)

with psycopg.connect("", autocommit=True) as conn:
    cp.register(conn)
    text_row = conn.execute("SELECT s, v, i, c, l FROM drv WHERE id = 2").fetchone()
    bin_row = conn.cursor(binary=True).execute("SELECT s, v, i, c, l FROM drv WHERE id = 2").fetchone()
    check("psycopg 3 adapters: binary and text results give the same values", text_row, bin_row)
    check("psycopg 3 adapters: Python types", ['Sector', 'Service', 'Incident', 'Criterion', 'Tlp'],
          [type(x).__name__ for x in bin_row])
    inc = bin_row[2]
    check("psycopg 3 adapters: the incident's fields", ('gas.supply', datetime.datetime(2024, 1, 15, 0, 0, tzinfo=datetime.timezone.utc),
          datetime.timedelta(hours=3), 100000, None, 'stop'), (inc.service, inc.began, inc.lasted, inc.households, inc.users, inc.effect))
    for fmt in ('%b', '%t'):
        conn.execute(f"INSERT INTO drv VALUES ({4 if fmt == '%b' else 5}, {fmt}, {fmt}, {fmt}, {fmt}, {fmt})", bin_row)
    check("psycopg 3 adapters: binary and text dumpers write the same values back",
          [text_row, text_row], [conn.execute("SELECT s, v, i, c, l FROM drv WHERE id = %s", (k,)).fetchone() for k in (4, 5)])
    odd = cp.Incident(service='water.supply', began=datetime.datetime(2009, 2, 3, 1, 2, 3, 500000, tzinfo=datetime.timezone(datetime.timedelta(hours=9))),
                      ongoing=True, effect='degradation', cause='disaster', users=0, households=12, flags=frozenset({'water_quality', 'cargo_lost'}))
    back = [conn.cursor(binary=b).execute(f"SELECT {f}::incident", (odd,)).fetchone()[0] for b in (True, False) for f in ('%b', '%t')]
    check("psycopg 3 adapters: an incident with ongoing, flags, fractions and zeros round-trips", [True] * 4,
          [x == odd and x.began == odd.began for x in back])
    check("psycopg 3 adapters: arrays", [cp.Sector('gas'), cp.Sector('water')],
          conn.cursor(binary=True).execute("SELECT ARRAY['gas', 'water']::sector[]").fetchone()[0])
    check("psycopg 3 adapters: DISTINCT and ORDER BY on verdicts", [('exceeds', cp.Criterion('households >= 30'))],
          conn.cursor(binary=True).execute("SELECT DISTINCT (classify(i)).outcome, (classify(i)).criterion FROM drv ORDER BY 1, 2").fetchall())

# pyodbc over psqlODBC: parameters are sent as varchar
import pyodbc
env = os.environ
host = env.get('PGHOST', 'localhost')
cs = (f"DRIVER={{PostgreSQL Unicode}};Servername={host};Port={env.get('PGPORT', '5432')};"
      f"Database={env['PGDATABASE']};UID={env.get('PGUSER', 'postgres')};PWD={env.get('PGPASSWORD', '')}")
conn = pyodbc.connect(cs, autocommit=True)
cur = conn.cursor()
cur.execute("INSERT INTO drv VALUES (6, ?, ?, ?, ?, ?)", *ROW)
check("ODBC: writes and reads every type", ROW_OUT,
      tuple(cur.execute("SELECT s, v, i, c, l FROM drv WHERE id = 6").fetchone()))
check("ODBC: classify(?, ?)", 'exceeds', cur.execute("SELECT (classify(?, ?)).outcome", INC, 'nisc-2009').fetchone()[0])
check("ODBC: LIKE with a parameter", 1, cur.execute("SELECT count(*) FROM drv WHERE id = 6 AND v LIKE ?", 'finance.%').fetchone()[0])
try:
    cur.execute("INSERT INTO drv (id, v) VALUES (7, ?)", 'finance.bank.deposti')
    check("ODBC: a bad value fails", '22P02', None)
except pyodbc.Error as e:
    check("ODBC: a bad value gives 22P02", '22P02', e.args[0])
    check("ODBC: the suggestion reaches the ODBC user", True, 'Did you mean "finance.bank.deposit"?' in e.args[1])
conn.close()
EOF

# ---------------------------------------------------------------------------
# JDBC: PgJDBC 42.5 with its defaults (setString sends varchar), compiled here
cat > "$work/Drivers.java" <<'EOF'
import java.sql.*;
public class Drivers {
    static void check(String desc, Object want, Object got) {
        boolean ok = want == null ? got == null : want.equals(got);
        System.out.println((ok ? "ok - " : "not ok - ") + desc + (ok ? "" : " (expected '" + want + "', got '" + got + "')"));
    }
    public static void main(String[] a) throws Exception {
        String inc = "service=gas.supply, began=2024-01-15 09:00+09, households=100000, lasted=3 h";
        try (Connection c = DriverManager.getConnection(a[0], a[1], a[2])) {
            try (PreparedStatement p = c.prepareStatement("INSERT INTO drv VALUES (8, ?, ?, ?, ?, ?)")) {
                p.setString(1, "gas"); p.setString(2, "finance.bank.deposit"); p.setString(3, inc);
                p.setString(4, "users >= 30000 and duration >= 2 h"); p.setString(5, "amber+strict");
                check("JDBC: setString writes every type", 1, p.executeUpdate());
            }
            try (Statement s = c.createStatement(); ResultSet r = s.executeQuery("SELECT s, v, i, c, l FROM drv WHERE id = 8")) {
                r.next();
                check("JDBC: getString reads every type", "gas|finance.bank.deposit|households=100000|users >= 30000 and duration >= 2 h|amber+strict",
                      r.getString(1) + "|" + r.getString(2) + "|" + r.getString(3).replaceAll(".*(households=[0-9]+).*", "$1") + "|" + r.getString(4) + "|" + r.getString(5));
                check("JDBC: the type names", "sector|tlp", r.getMetaData().getColumnTypeName(1) + "|" + r.getMetaData().getColumnTypeName(5));
            }
            try (PreparedStatement p = c.prepareStatement("SELECT (classify(?, ?)).outcome")) {
                p.setString(1, inc); p.setString(2, "nisc-2009");
                ResultSet r = p.executeQuery(); r.next();
                check("JDBC: classify(?, ?) with setString", "exceeds", r.getString(1));
            }
            try (PreparedStatement p = c.prepareStatement("SELECT count(*) FROM drv WHERE id = 8 AND s LIKE ? AND v NOT ILIKE ?")) {
                p.setString(1, "g%"); p.setString(2, "WATER%");
                ResultSet r = p.executeQuery(); r.next();
                check("JDBC: LIKE and NOT ILIKE with setString", 1, r.getInt(1));
            }
            try (Statement s = c.createStatement(); ResultSet r = s.executeQuery(
                    "SELECT v, count(*) FROM (SELECT classify(i) AS v FROM drv) x GROUP BY v ORDER BY v")) {
                int n = 0; while (r.next()) n++;
                check("JDBC: GROUP BY and ORDER BY a verdict", 1, n);
            }
            try (PreparedStatement p = c.prepareStatement("UPDATE drv SET l = ? WHERE id = 8")) {
                p.setString(1, "amberr");
                p.executeUpdate();
                check("JDBC: a bad value fails", "22P02", null);
            } catch (SQLException e) {
                check("JDBC: a bad value gives 22P02", "22P02", e.getSQLState());
                check("JDBC: the suggestion in the message", true, e.getMessage().contains("Did you mean \"amber\"?"));
            }
        }
    }
}
EOF
jar=/usr/share/java/postgresql.jar
case "${PGHOST:-}" in /*|"") jhost=127.0.0.1 ;; *) jhost=$PGHOST ;; esac
if javac -d "$work" -cp "$jar" "$work/Drivers.java" 2>> "$results"; then
	java -cp "$work:$jar" Drivers "jdbc:postgresql://$jhost:${PGPORT:-5432}/$db" "${PGUSER:-postgres}" "${PGPASSWORD:-}" >> "$results" 2>&1 \
		|| say "not ok - the JDBC program ran to its end"
else
	say "not ok - the JDBC program compiles"
fi

# ---------------------------------------------------------------------------
# GDAL: the view over impact() to GeoPackage, no -nlt: a MultiPolygon layer in WGS 84,
# onset and recovery as date-times (a shapefile would keep only the dates); PGTZ=UTC
# so the time zone written is the same everywhere
gpkg="$work/outage.gpkg"
if PGTZ=UTC ogr2ogr -f GPKG "$gpkg" "PG:dbname=$db" outage 2>> "$results"; then
	info=$(ogrinfo -so "$gpkg" outage)
	check "GDAL: the impact's layer is MultiPolygon" "Geometry: Multi Polygon" "$(grep '^Geometry:' <<< "$info")"
	check "GDAL: two features" "Feature Count: 2" "$(grep '^Feature Count' <<< "$info")"
	check "GDAL: in EPSG:4326" '    ID["EPSG",4326]]' "$(grep 'ID\["EPSG",4326\]\]$' <<< "$info")"
	check "GDAL: onset and recovery are date-times" "onset: DateTime (0.0)|recovery: DateTime (0.0)" \
		"$(grep -E '^(onset|recovery):' <<< "$info" | paste -sd'|')"
	check "GDAL: the hours survive" "2024/01/15 00:00:00+00|2024/01/15 10:00:00+00" \
		"$(ogrinfo -q "$gpkg" -sql "SELECT onset, recovery FROM outage WHERE instance = 1" | sed -n 's/^ *\(onset\|recovery\) (DateTime) = //p' | paste -sd'|')"
	check "GDAL: the outage area reads back" "1" \
		"$(ogrinfo -q "$gpkg" -sql "SELECT ST_Area(area) AS a FROM outage WHERE instance = 1" -dialect SQLite | sed -n 's/^ *a (Real) = //p')"
else
	say "not ok - ogr2ogr exports the impact to GeoPackage"
fi
# ogr2ogr -sql: GDAL types a SQL result's geometry column by its type OID alone (never its
# typmod), so a query needs -nlt MULTIPOLYGON, as the README says (the view needs nothing)
if PGTZ=UTC ogr2ogr -f GPKG "$work/sql.gpkg" "PG:dbname=$db" -nln outage_sql -nlt MULTIPOLYGON \
	-sql "SELECT instance, onset, recovery, area FROM impact(1, '2024-01-15 09:00+09', '10 hours')" 2>> "$results"; then
	check "GDAL: ogr2ogr -sql on impact() with -nlt MULTIPOLYGON: a MultiPolygon layer of two features" \
		"Geometry: Multi Polygon|Feature Count: 2" \
		"$(ogrinfo -so "$work/sql.gpkg" outage_sql | grep -E '^(Geometry|Feature Count):' | paste -sd'|')"
else
	say "not ok - ogr2ogr -sql exports the impact to GeoPackage"
fi

# ---------------------------------------------------------------------------
n=0; fail=0
while IFS= read -r line; do
	case "$line" in
	"ok - "*) n=$((n + 1)); echo "ok $n ${line#ok }" ;;
	"not ok - "*) n=$((n + 1)); fail=1; echo "not ok $n ${line#not ok }" ;;
	*) echo "# $line" ;;
	esac
done < "$results"
expected=42
if [ "$n" -ne "$expected" ]; then
	n=$((n + 1)); fail=1; echo "not ok $n - ran $((n - 1)) checks, expected $expected"
fi
echo "1..$n"
exit $fail
