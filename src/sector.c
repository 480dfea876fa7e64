/*
 * sector.c
 *		Type ceptoar.sector: a critical-infrastructure sector (分野).
 *
 * A by-value int2 holding the sector's position in NISC's official order, so
 * comparison and hashing reuse the int2 support functions (see
 * src/sql/010_sector.sql).  The catalogue below is the only definition of the
 * sectors: the parser, the error hints and the ceptoar.sectors view all
 * read it.
 */
#include "postgres.h"

#include "libpq/pqformat.h"
#include "mb/pg_wchar.h"
#include "utils/builtins.h"
#include "utils/memutils.h"

#include "ceptoar_registry.h"

#define SRC_2000 "seed 003 (2000 Special Action Plan); seed 000"
#define SRC_1ST "seed 000 (1st and 2nd Action Plans, 10 sectors)"

/*
 * Indexed by value.  Japanese aliases are written in normal form (ASCII
 * parentheses, see cr_normalise) and cover the spellings of the seeds.
 */
const CrSectorInfo cr_sectors[CR_NSECTORS + 1] = {
	{NULL},
	{"telecom", "情報通信", "information and communication", {NULL},
	"special-2000", SRC_2000},
	{"finance", "金融", "finance", {NULL}, "special-2000", SRC_2000},
	{"aviation", "航空", "aviation", {NULL}, "special-2000", SRC_2000},
	{"airport", "空港", "airports", {NULL}, "4th",
	"4th Action Plan as revised 2018-07-25, airports split from aviation (not in the seeds)"},
	{"rail", "鉄道", "railway", {NULL}, "special-2000", SRC_2000},
	{"electricity", "電力", "electric power", {NULL}, "special-2000", SRC_2000},
	{"gas", "ガス", "gas", {NULL}, "special-2000", SRC_2000},
	{"government", "政府・行政サービス(地方公共団体を含む)",
		"government and administrative services (incl. local governments)",
		{"政府・行政サービス", "政府・行政サービス(含・地方公共団体)",
			"政府・行政サービス (地方公共団体を含む)",
		"政府・行政サービス(地方公共団体を含む。)"},
	"special-2000", SRC_2000},
	{"medical", "医療", "medical", {NULL}, "1st", SRC_1ST},
	{"water", "水道", "water", {NULL}, "1st", SRC_1ST},
	{"logistics", "物流", "logistics", {NULL}, "1st", SRC_1ST},
	{"chemical", "化学", "chemical", {NULL}, "3rd",
	"3rd Action Plan 2014-05-19 (domain.md; not in the seeds)"},
	{"credit", "クレジット", "credit cards", {NULL}, "3rd",
	"3rd Action Plan 2014-05-19 (domain.md; not in the seeds)"},
	{"petroleum", "石油", "petroleum", {NULL}, "3rd",
	"3rd Action Plan 2014-05-19 (domain.md; not in the seeds)"},
	{"port", "港湾", "ports", {NULL}, "2022",
	"Action Plan 2022 as revised 2024-03-08 (not in the seeds)"},
};


static CrNameMap sector_names;
static const char *sector_codes[CR_NSECTORS];
static const char *sector_candidates[CR_NSECTORS * 6];
static int	sector_ncandidates;

static void
build_sector_names(void)
{
	if (sector_names.built)
		return;
	sector_ncandidates = 0;
	for (int s = 1; s <= CR_NSECTORS; s++)
	{
		const CrSectorInfo *si = &cr_sectors[s];

		sector_codes[s - 1] = si->code;
		cr_namemap_add(&sector_names, si->code, s);
		cr_namemap_add(&sector_names, si->name_ja, s);
		sector_candidates[sector_ncandidates++] = si->code;
		sector_candidates[sector_ncandidates++] = si->name_ja;
		for (int a = 0; a < NELEM(si->aliases_ja) && si->aliases_ja[a]; a++)
			cr_namemap_add(&sector_names, si->aliases_ja[a], s);
	}
	sector_names.built = true;
}

/* "telecom, finance, ..." in NISC order, for hints */
static const char *
sector_code_list(void)
{
	static char *list = NULL;

	if (list == NULL)
	{
		char	   *l = cr_join(sector_codes, CR_NSECTORS);

		list = MemoryContextStrdup(TopMemoryContext, l);
		pfree(l);
	}
	return list;
}

const CrSectorInfo *
cr_sector_info(Sector s)
{
	if (s < 1 || s > CR_NSECTORS)
		elog(ERROR, "invalid ceptoar.sector value %d", (int) s);
	return &cr_sectors[s];
}

/*
 * Parse a sector literal.  Returns 0 for an unknown name when
 * report_errors is false.
 */
Sector
cr_sector_parse(const char *str, bool report_errors)
{
	char		norm[CR_MAX_NAME + 1];
	int			len;
	int32		value;

	build_sector_names();
	if (cr_namemap_find_plain(&sector_names, str, &value))
		return (Sector) value;
	len = cr_normalise(str, norm, NULL);
	if (len > 0 && cr_namemap_find(&sector_names, norm, len, &value))
		return (Sector) value;
	if (!report_errors)
		return 0;

	if (len == 0)
		cr_report_bad_name("ceptoar.sector", str, "The sector is empty.",
						   NULL, "sectors", sector_code_list());
	if (len < 0)
		cr_report_bad_name("ceptoar.sector", str,
						   psprintf("The sector name is longer than %d bytes.",
									CR_MAX_NAME),
						   NULL, "sectors", sector_code_list());
	cr_report_bad_name("ceptoar.sector", str,
					   psprintf("Unknown sector \"%s\".", norm),
					   cr_nearest(norm, sector_candidates, sector_ncandidates),
					   "sectors", sector_code_list());
	pg_unreachable();
}

/* Catalogue strings are UTF-8; give them to SQL in the server encoding. */
char *
cr_utf8_to_server(const char *utf8)
{
	return pg_any_to_server(utf8, strlen(utf8), PG_UTF8);
}

Datum
cr_text_datum_utf8(const char *utf8)
{
	if (utf8 == NULL)
		return (Datum) 0;
	return CStringGetTextDatum(cr_utf8_to_server(utf8));
}

PG_FUNCTION_INFO_V1(sector_in);
/* text -> sector: a code (any case) or an official Japanese name */
Datum
sector_in(PG_FUNCTION_ARGS)
{
	PG_RETURN_SECTOR(cr_sector_parse(PG_GETARG_CSTRING(0), true));
}

PG_FUNCTION_INFO_V1(sector_out);
/* sector -> its canonical code */
Datum
sector_out(PG_FUNCTION_ARGS)
{
	PG_RETURN_CSTRING(pstrdup(cr_sector_info(PG_GETARG_SECTOR(0))->code));
}

PG_FUNCTION_INFO_V1(sector_recv);
/* binary input: a version byte, then the code as text (as ltree does) */
Datum
sector_recv(PG_FUNCTION_ARGS)
{
	StringInfo	buf = (StringInfo) PG_GETARG_POINTER(0);
	char	   *str = cr_recv_name(buf, "ceptoar.sector");

	PG_RETURN_SECTOR(cr_sector_parse(str, true));
}

PG_FUNCTION_INFO_V1(sector_send);
/* binary output: a version byte, then the code as text */
Datum
sector_send(PG_FUNCTION_ARGS)
{
	PG_RETURN_BYTEA_P(cr_send_name(cr_sector_info(PG_GETARG_SECTOR(0))->code));
}

PG_FUNCTION_INFO_V1(sector_name_ja);
/* the sector's official Japanese name */
Datum
sector_name_ja(PG_FUNCTION_ARGS)
{
	PG_RETURN_DATUM(cr_text_datum_utf8(cr_sector_info(PG_GETARG_SECTOR(0))->name_ja));
}

PG_FUNCTION_INFO_V1(sector_name_en);
/* the sector's English name */
Datum
sector_name_en(PG_FUNCTION_ARGS)
{
	PG_RETURN_DATUM(cr_text_datum_utf8(cr_sector_info(PG_GETARG_SECTOR(0))->name_en));
}

PG_FUNCTION_INFO_V1(sector_position);
/* the sector's position in NISC's official order (1 = telecom) */
Datum
sector_position(PG_FUNCTION_ARGS)
{
	Sector		s = PG_GETARG_SECTOR(0);

	(void) cr_sector_info(s);	/* validates */
	PG_RETURN_INT32((int32) s);
}
