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

	if (!HeapTupleIsValid(tup))
		elog(ERROR, "cache lookup failed for type %u", geometry_type);
	nsp = ((Form_pg_type) GETSTRUCT(tup))->typnamespace;
	ReleaseSysCache(tup);

	g->cxt = cxt;
	g->geometry = geometry_type;
	g->schema = MemoryContextStrdup(cxt, get_namespace_name(nsp));

	lookup(g, &g->intersection, "st_intersection", 3, geometry_type, geometry_type, FLOAT8OID);
	lookup(g, &g->union2, "st_union", 2, geometry_type, geometry_type, InvalidOid);
	lookup(g, &g->extract, "st_collectionextract", 2, geometry_type, INT4OID, InvalidOid);
	lookup(g, &g->area, "st_area", 1, geometry_type, InvalidOid, InvalidOid);
	lookup(g, &g->intersects, "st_intersects", 2, geometry_type, geometry_type, InvalidOid);
	lookup(g, &g->overlaps_bbox, "geometry_overlaps", 2, geometry_type, geometry_type, InvalidOid);
	lookup(g, &g->transform, "st_transform", 2, geometry_type, INT4OID, InvalidOid);
	lookup(g, &g->segmentize, "st_segmentize", 2, geometry_type, FLOAT8OID, InvalidOid);
	lookup(g, &g->multi, "st_multi", 1, geometry_type, InvalidOid, InvalidOid);
	lookup(g, &g->srid, "st_srid", 1, geometry_type, InvalidOid, InvalidOid);
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

/*
 * The area on the WGS 84 ellipsoid of a lon/lat polygon whose edges are
 * straight in lon/lat, in m², measured in an equal-area projection (EPSG:6933,
 * NSIDC EASE-Grid 2.0 Global) after cutting edges to at most 0.01 degree, so
 * that they follow lon/lat lines.  Unlike ST_Area(geography), whose edges are
 * great circles, it hardly changes when a union adds a vertex along an edge.
 */
double
cr_gis_geodesic_area(CrGis *g, Datum a)
{
	Datum		dense = FunctionCall2(&g->segmentize, a, Float8GetDatum(0.01));

	return DatumGetFloat8(FunctionCall1(&g->area,
										FunctionCall2(&g->transform, dense, Int32GetDatum(6933))));
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

/*
 * The polygonal part of a, as a MultiPolygon, the type of service areas: a
 * footprint may be a point, a line or a collection, and passes on as given
 * (a site in it is hit), but an area is only ever its polygons (rule 6).
 */
Datum
cr_gis_multi(CrGis *g, Datum a)
{
	return FunctionCall1(&g->multi, FunctionCall2(&g->extract, a, Int32GetDatum(3)));
}
