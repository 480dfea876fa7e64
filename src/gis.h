/*
 * gis.h
 *		Calls into PostGIS through fmgr (see gis.c).
 */
#ifndef CEPTOAR_GIS_H
#define CEPTOAR_GIS_H

#include "postgres.h"

#include "fmgr.h"

typedef struct CrGis
{
	MemoryContext cxt;
	Oid			geometry;
	char	   *schema;			/* PostGIS's schema */
	FmgrInfo	intersection;
	FmgrInfo	union2;
	FmgrInfo	extract;
	FmgrInfo	area;
	FmgrInfo	intersects;
	FmgrInfo	overlaps_bbox;
	FmgrInfo	srid;
	FmgrInfo	multi;
	FmgrInfo	transform;
	FmgrInfo	segmentize;
} CrGis;

extern void cr_gis_init(CrGis *g, Oid geometry_type, MemoryContext cxt);
extern Datum cr_gis_clip(CrGis *g, Datum a, Datum b);
extern Datum cr_gis_union(CrGis *g, Datum a, Datum b);
extern double cr_gis_area(CrGis *g, Datum a);
extern double cr_gis_geodesic_area(CrGis *g, Datum a);
extern bool cr_gis_intersects(CrGis *g, Datum a, Datum b);
extern bool cr_gis_bbox_overlaps(CrGis *g, Datum a, Datum b);
extern int	cr_gis_srid(CrGis *g, Datum a);
extern Datum cr_gis_multi(CrGis *g, Datum a);

#endif							/* CEPTOAR_GIS_H */
