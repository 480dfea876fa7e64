/*
 * gis.c
 *		The only file that talks to PostGIS.
 *
 * PostGIS ships no headers we could build against and links liblwgeom
 * statically, so we call its SQL-callable C functions through fmgr: each is
 * looked up by name in the schema that owns the geometry type (whatever the
 * caller's search_path), and geometry values stay opaque Datums.
 */
#include "postgres.h"

#include "access/htup_details.h"
#include "catalog/pg_type.h"
#include "nodes/makefuncs.h"
#include "parser/parse_func.h"
#include "utils/lsyscache.h"
#include "utils/syscache.h"

#include "ceptoar_registry.h"
#include "gis.h"

static void
lookup(CrGis *g, FmgrInfo *f, const char *name, int nargs, Oid a1, Oid a2, Oid a3)
{
	Oid			argtypes[3] = {a1, a2, a3};
	Oid			fn = LookupFuncName(list_make2(makeString(g->schema), makeString(pstrdup(name))),
									nargs, argtypes, false);

	fmgr_info_cxt(fn, f, g->cxt);
}

/* Prepare calls into PostGIS, given the OID of its geometry type. */
void
cr_gis_init(CrGis *g, Oid geometry_type, MemoryContext cxt)
{
	HeapTuple	tup = SearchSysCache1(TYPEOID, ObjectIdGetDatum(geometry_type));
	Oid			nsp;
	Oid			geography;

	if (!HeapTupleIsValid(tup))
		elog(ERROR, "cache lookup failed for type %u", geometry_type);
	nsp = ((Form_pg_type) GETSTRUCT(tup))->typnamespace;
	ReleaseSysCache(tup);

	g->cxt = cxt;
	g->geometry = geometry_type;
	g->schema = MemoryContextStrdup(cxt, get_namespace_name(nsp));
	geography = GetSysCacheOid2(TYPENAMENSP, Anum_pg_type_oid,
								CStringGetDatum("geography"), ObjectIdGetDatum(nsp));
	if (!OidIsValid(geography))
		elog(ERROR, "PostGIS type geography not found in schema \"%s\"", g->schema);

	lookup(g, &g->intersection, "st_intersection", 3, geometry_type, geometry_type, FLOAT8OID);
	lookup(g, &g->union2, "st_union", 2, geometry_type, geometry_type, InvalidOid);
	lookup(g, &g->extract, "st_collectionextract", 2, geometry_type, INT4OID, InvalidOid);
	lookup(g, &g->area, "st_area", 1, geometry_type, InvalidOid, InvalidOid);
	lookup(g, &g->intersects, "st_intersects", 2, geometry_type, geometry_type, InvalidOid);
	lookup(g, &g->overlaps_bbox, "geometry_overlaps", 2, geometry_type, geometry_type, InvalidOid);
	lookup(g, &g->multi, "st_multi", 1, geometry_type, InvalidOid, InvalidOid);
	lookup(g, &g->srid, "st_srid", 1, geometry_type, InvalidOid, InvalidOid);
	lookup(g, &g->to_geography, "geography", 1, geometry_type, InvalidOid, InvalidOid);
	lookup(g, &g->geog_area, "st_area", 2, geography, BOOLOID, InvalidOid);
}

/* polygons(a ∩ b): the polygonal part of the intersection */
Datum
cr_gis_clip(CrGis *g, Datum a, Datum b)
{
	Datum		x = FunctionCall3(&g->intersection, a, b, Float8GetDatum(-1.0));

	return FunctionCall2(&g->extract, x, Int32GetDatum(3));
}

/* the polygonal part of a ∪ b */
Datum
cr_gis_union(CrGis *g, Datum a, Datum b)
{
	return FunctionCall2(&g->extract, FunctionCall2(&g->union2, a, b), Int32GetDatum(3));
}

double
cr_gis_area(CrGis *g, Datum a)
{
	return DatumGetFloat8(FunctionCall1(&g->area, a));
}

double
cr_gis_geodesic_area(CrGis *g, Datum a)
{
	return DatumGetFloat8(FunctionCall2(&g->geog_area, FunctionCall1(&g->to_geography, a),
										BoolGetDatum(true)));
}

bool
cr_gis_intersects(CrGis *g, Datum a, Datum b)
{
	return DatumGetBool(FunctionCall2(&g->intersects, a, b));
}

/* bounding boxes overlap (&&): cheap, from the boxes stored in the values */
bool
cr_gis_bbox_overlaps(CrGis *g, Datum a, Datum b)
{
	return DatumGetBool(FunctionCall2(&g->overlaps_bbox, a, b));
}

int
cr_gis_srid(CrGis *g, Datum a)
{
	return DatumGetInt32(FunctionCall1(&g->srid, a));
}

/* as a MultiPolygon, the type of service areas */
Datum
cr_gis_multi(CrGis *g, Datum a)
{
	return FunctionCall1(&g->multi, a);
}
