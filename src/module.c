/*
 * module.c
 *		The module's magic block and its settings.
 */
#include "postgres.h"

#include <limits.h>

#include "fmgr.h"
#include "utils/guc.h"

#include "ceptoar_registry.h"

PG_MODULE_MAGIC;

/*
 * ceptoar.statistics_min_reports: the k of the statistics' small-cell
 * suppression (statistics.c).  Superuser-only (PGC_SUSET): a party that could
 * lower it in its own session would undo the suppression.
 */
static int	cr_statistics_min_reports = 3;

/*
 * ceptoar.impact_result_memory: what impact()'s one-pass result may hold in
 * memory before it goes to a temporary file, when that is more than work_mem
 * (impact.c).  A national result of 100,000 rows is 16 MB.
 */
int			cr_impact_result_memory = 64 * 1024;

void		_PG_init(void);

void
_PG_init(void)
{
	DefineCustomIntVariable("ceptoar.statistics_min_reports",
							"Statistics cells counting fewer reports are suppressed for parties that may not see them.",
							"annual_statistics() and annual_exclusions() hide, for the public and for sectors not the caller's, every count below this and enough other counts that no total gives one back.",
							&cr_statistics_min_reports,
							3, 1, 1000000,
							PGC_SUSET, 0,
							NULL, NULL, NULL);
	DefineCustomIntVariable("ceptoar.impact_result_memory",
							"Memory impact() may use for the rows of a search without areas before writing them to a temporary file.",
							"Those rows are of fixed size, at most one per instance (about 160 bytes each); work_mem applies when it is larger.",
							&cr_impact_result_memory,
							64 * 1024, 64, MAX_KILOBYTES,
							PGC_USERSET, GUC_UNIT_KB,
							NULL, NULL, NULL);
	DefineCustomBoolVariable("ceptoar.impact_scan",
							 "Lets the planner run impact() in FROM as a custom scan that hands its rows on as they are formed.",
							 "Off: impact() runs as any set-returning function, its rows stored in a tuplestore first.",
							 &cr_impact_scan,
							 true,
							 PGC_USERSET, 0,
							 NULL, NULL, NULL);
	cr_impact_scan_init();
}

/*
 * ceptoar._statistics_min_reports(): the setting, read here so that the
 * module (and so the setting's definition and its privilege) is loaded first:
 * current_setting() could read a placeholder a session set before the load.
 */
PG_FUNCTION_INFO_V1(statistics_min_reports);

Datum
statistics_min_reports(PG_FUNCTION_ARGS pg_attribute_unused())
{
	PG_RETURN_INT32(cr_statistics_min_reports);
}
