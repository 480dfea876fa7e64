/*
 * impact.c
 *		ceptoar.impact(): how an IT failure spreads between service instances.
 *		The SQL entry point: it checks the arguments, takes the dependency graph
 *		as the statement's snapshot sees it (graph.c) and runs one of the two
 *		searches (impact_times.c when nothing is located, impact_areas.c
 *		otherwise), which form their rows with one row builder (impact.h).  The semantics are defined in
 *		docs/impact-semantics.md and checked against a plain-SQL reference on
 *		randomized graphs.
 *
 * One snapshot rule: the graph and the geometry are both read with the
 * statement's snapshot, so impact() answers as a plain query of the same
 * statement would (a cursor as of its DECLARE, REPEATABLE READ as of the
 * transaction, READ COMMITTED as of each statement).
 */
#include "postgres.h"

#include "funcapi.h"
#include "common/int.h"
#include "catalog/pg_type.h"
#include "utils/array.h"
#include "utils/lsyscache.h"
#include "utils/snapmgr.h"
#include "utils/timestamp.h"

#include "ceptoar_registry.h"
#include "impact.h"

/* the index of origins[k], with the errors a caller can make */
static int
origin_index(const Graph *g, Datum *ids, bool *nulls, int k)
{
	int			i;

	if (nulls[k])
		ereport(ERROR,
				(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
				 errmsg("origins must not contain NULL")));
	i = cr_graph_index(g, DatumGetInt64(ids[k]));
	if (i < 0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("unknown service instance " INT64_FORMAT, DatumGetInt64(ids[k])),
				 errhint("Origins are ids of ceptoar.service_instance.")));
	return i;
}

PG_FUNCTION_INFO_V1(impact_run);
/* impact(origins bigint[], began, lasted, footprint, horizon) */
Datum
impact_run(PG_FUNCTION_ARGS)
{
	ReturnSetInfo *rsinfo = (ReturnSetInfo *) fcinfo->resultinfo;
	ImpactQuery q = {0};
	CrGis		gis;
	Graph	   *g;
	Datum	   *origin_ids;
	bool	   *origin_nulls;
	int		   *origins;
	int			norigins;
	int64		lasted,
				horizon;

	for (int k = 0; k < 3; k++)
		if (PG_ARGISNULL(k))
			ereport(ERROR,
					(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
					 errmsg("%s must not be NULL", k == 0 ? "origins" : k == 1 ? "began" : "lasted")));
	if (PG_ARGISNULL(4))
		ereport(ERROR,
				(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
				 errmsg("horizon must not be NULL")));
	q.began = PG_GETARG_TIMESTAMPTZ(1);
	lasted = cr_interval_usec(PG_GETARG_INTERVAL_P(2), "lasted");
	horizon = cr_interval_usec(PG_GETARG_INTERVAL_P(4), "horizon");
	if (TIMESTAMP_NOT_FINITE(q.began))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("began must be finite")));
	if (pg_add_s64_overflow(q.began, lasted, &q.end) || !IS_VALID_TIMESTAMP(q.end))
		ereport(ERROR,
				(errcode(ERRCODE_DATETIME_VALUE_OUT_OF_RANGE),
				 errmsg("the outage ends out of the range of timestamps"),
				 errdetail("began + lasted must be a valid timestamp."),
				 errhint("Timestamps end in 294276 AD; give a shorter outage.")));
	deconstruct_array(PG_GETARG_ARRAYTYPE_P(0), INT8OID, 8, FLOAT8PASSBYVAL, TYPALIGN_DOUBLE,
					  &origin_ids, &origin_nulls, &norigins);
	if (norigins == 0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("impact needs at least one origin")));

	q.nsp = get_func_namespace(fcinfo->flinfo->fn_oid);
	q.cxt = rsinfo->econtext->ecxt_per_query_memory;
	g = q.g = cr_graph_get(fcinfo->flinfo->fn_oid, GetActiveSnapshot(), q.cxt);
	if (pg_add_s64_overflow(q.began, horizon, &q.limit))
		q.limit = PG_INT64_MAX;

	InitMaterializedSRF(fcinfo, 0);
	q.rsinfo = rsinfo;

	if (!PG_ARGISNULL(3) || g->any_geometry)
	{
		cr_gis_init(&gis, g->geometry_type, q.cxt);
		q.gis = &gis;
	}
	if (!PG_ARGISNULL(3))
	{
		q.footprint = PointerGetDatum(PG_DETOAST_DATUM_COPY(PG_GETARG_DATUM(3)));
		if (cr_gis_srid(q.gis, q.footprint) != 4326)
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("footprint must have SRID 4326, not %d",
							cr_gis_srid(q.gis, q.footprint)),
					 errhint("Use ST_Transform(footprint, 4326) or ST_SetSRID(footprint, 4326).")));
	}

	origins = palloc(sizeof(int) * norigins);
	for (int k = 0; k < norigins; k++)
		origins[k] = origin_index(g, origin_ids, origin_nulls, k);
	q.origins = origins;
	q.norigins = norigins;

	if (q.gis == NULL)
		cr_impact_times(&q);
	else
		cr_impact_areas(&q);
	return (Datum) 0;
}
