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
#include "access/htup_details.h"
#include "utils/syscache.h"
#include "utils/array.h"
#include "utils/lsyscache.h"
#include "utils/snapmgr.h"
#include "utils/typcache.h"
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

/*
 * Checks the arguments of impact(origins, began, lasted, footprint, horizon)
 * (the function fn), takes the graph as the statement's snapshot sees it
 * and fills q but for where its rows go.  Everything of the call is
 * allocated in CurrentMemoryContext; cxt lives as long as the query (the
 * graph of a transaction that changed it, fetched areas).  Shared by the
 * function (impact_run) and the custom scan that streams its rows
 * (impact_scan.c), so that both give the same errors in the same order.
 */
void
cr_impact_setup(ImpactQuery *q, Oid fn, MemoryContext cxt, const Datum *args, const bool *nulls)
{
	Graph	   *g;
	Datum	   *origin_ids;
	bool	   *origin_nulls;
	int		   *origins;
	int			norigins;
	int64		lasted,
				horizon;

	memset(q, 0, sizeof(ImpactQuery));
	for (int k = 0; k < 3; k++)
		if (nulls[k])
			ereport(ERROR,
					(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
					 errmsg("%s must not be NULL", k == 0 ? "origins" : k == 1 ? "began" : "lasted")));
	if (nulls[4])
		ereport(ERROR,
				(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
				 errmsg("horizon must not be NULL")));
	q->began = DatumGetTimestampTz(args[1]);
	lasted = cr_interval_usec(DatumGetIntervalP(args[2]), "lasted");
	horizon = cr_interval_usec(DatumGetIntervalP(args[4]), "horizon");
	if (TIMESTAMP_NOT_FINITE(q->began))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("began must be finite")));
	if (pg_add_s64_overflow(q->began, lasted, &q->end) || !IS_VALID_TIMESTAMP(q->end))
		ereport(ERROR,
				(errcode(ERRCODE_DATETIME_VALUE_OUT_OF_RANGE),
				 errmsg("the outage ends out of the range of timestamps"),
				 errdetail("began + lasted must be a valid timestamp."),
				 errhint("Timestamps end in 294276 AD; give a shorter outage.")));
	deconstruct_array(DatumGetArrayTypeP(args[0]), INT8OID, 8, FLOAT8PASSBYVAL, TYPALIGN_DOUBLE,
					  &origin_ids, &origin_nulls, &norigins);
	if (norigins == 0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("impact needs at least one origin")));

	q->nsp = get_func_namespace(fn);
	q->cxt = cxt;
	g = q->g = cr_graph_get(fn, GetActiveSnapshot(), cxt);
	if (pg_add_s64_overflow(q->began, horizon, &q->limit))
		q->limit = PG_INT64_MAX;

	if (!nulls[3] || g->any_geometry)
	{
		q->gis = palloc(sizeof(CrGis));
		cr_gis_init(q->gis, g->geometry_type, cxt);
	}
	if (!nulls[3])
	{
		q->footprint = PointerGetDatum(PG_DETOAST_DATUM_COPY(args[3]));
		if (cr_gis_srid(q->gis, q->footprint) != 4326)
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("footprint must have SRID 4326, not %d",
							cr_gis_srid(q->gis, q->footprint)),
					 errhint("Use ST_Transform(footprint, 4326) or ST_SetSRID(footprint, 4326).")));
	}

	origins = palloc(sizeof(int) * norigins);
	for (int k = 0; k < norigins; k++)
		origins[k] = origin_index(g, origin_ids, origin_nulls, k);
	q->origins = origins;
	q->norigins = norigins;
}

/*
 * Whether desc is impact_row as this library forms it (the type
 * ceptoar.impact_row, src/sql/085_impact.sql): nine columns, none dropped,
 * of these types (service and sector those of the schema nsp, the area a
 * PostGIS geometry).  The row builders store each value by its width, so
 * a row type altered under them (ALTER TYPE ... ALTER ATTRIBUTE, ADD or
 * DROP ATTRIBUTE) would have them write a bigint where a pointer is read.
 */
bool
cr_impact_row_type_ok(TupleDesc desc, Oid nsp)
{
	static const char *const named[IMPACT_NCOLS] = {NULL, "service", "sector", NULL, NULL, NULL, NULL, NULL, NULL};
	static const Oid core[IMPACT_NCOLS] = {INT8OID, InvalidOid, InvalidOid, INT4OID,
	TIMESTAMPTZOID, TIMESTAMPTZOID, INT8OID, InvalidOid, INT8OID};

	if (desc == NULL || desc->natts != IMPACT_NCOLS)
		return false;
	for (int a = 0; a < IMPACT_NCOLS; a++)
	{
		Form_pg_attribute att = TupleDescAttr(desc, a);

		if (att->attisdropped)
			return false;
		if (OidIsValid(core[a]))
		{
			if (att->atttypid != core[a])
				return false;
		}
		else if (named[a] != NULL)
		{
			if (att->atttypid != GetSysCacheOid2(TYPENAMENSP, Anum_pg_type_oid,
												 CStringGetDatum(named[a]),
												 ObjectIdGetDatum(nsp)))
				return false;
		}
		else
		{
			/* the area: a geometry, whichever schema PostGIS is in */
			HeapTuple	tp = SearchSysCache1(TYPEOID, ObjectIdGetDatum(att->atttypid));
			bool		geometry;

			if (!HeapTupleIsValid(tp))
				return false;
			geometry = strcmp(NameStr(((Form_pg_type) GETSTRUCT(tp))->typname), "geometry") == 0;
			ReleaseSysCache(tp);
			if (!geometry || att->attlen != -1 || att->attbyval)
				return false;
		}
	}
	return true;
}

/* the error of a row type cr_impact_row_type_ok refuses */
void
cr_impact_row_type_error(void)
{
	ereport(ERROR,
			(errcode(ERRCODE_DATATYPE_MISMATCH),
			 errmsg("type impact_row is not the row impact() returns"),
			 errdetail("impact() returns (instance bigint, service, sector, depth integer, onset timestamptz, recovery timestamptz, via bigint, area geometry, population bigint); the type was altered."),
			 errhint("Undo the ALTER TYPE of ceptoar.impact_row.")));
}

/*
 * cr_impact_row_type_ok for the function, once per call site and version of
 * the row type (ALTER TYPE gives the type cache a new identifier), not in
 * every call of a LATERAL join.
 */
static void
check_row_type(FmgrInfo *flinfo, TupleDesc desc, Oid nsp)
{
	TypeCacheEntry *tc = lookup_type_cache(desc->tdtypeid, TYPECACHE_TUPDESC);
	uint64	   *checked = (uint64 *) flinfo->fn_extra;

	if (checked != NULL && tc->tupDesc_identifier != 0 && *checked == tc->tupDesc_identifier)
		return;
	if (!cr_impact_row_type_ok(desc, nsp))
		cr_impact_row_type_error();
	if (checked == NULL)
		checked = flinfo->fn_extra = MemoryContextAlloc(flinfo->fn_mcxt, sizeof(uint64));
	*checked = tc->tupDesc_identifier;
}

PG_FUNCTION_INFO_V1(impact_run);
/* impact(origins bigint[], began, lasted, footprint, horizon) */
Datum
impact_run(PG_FUNCTION_ARGS)
{
	ReturnSetInfo *rsinfo = (ReturnSetInfo *) fcinfo->resultinfo;
	ImpactQuery q;
	Datum		args[5];
	bool		nulls[5];

	if (rsinfo == NULL || !IsA(rsinfo, ReturnSetInfo))
		ereport(ERROR,
				(errcode(ERRCODE_FEATURE_NOT_SUPPORTED),
				 errmsg("impact() returns a set: call it in FROM")));
	for (int k = 0; k < 5; k++)
	{
		nulls[k] = PG_ARGISNULL(k);
		args[k] = nulls[k] ? (Datum) 0 : PG_GETARG_DATUM(k);
	}
	cr_impact_setup(&q, fcinfo->flinfo->fn_oid, rsinfo->econtext->ecxt_per_query_memory, args, nulls);
	InitMaterializedSRF(fcinfo, 0);
	check_row_type(fcinfo->flinfo, rsinfo->setDesc, q.nsp);
	q.rsinfo = rsinfo;
	if (q.gis == NULL)
		cr_impact_times(&q);
	else
		cr_impact_areas(&q);
	return (Datum) 0;
}
