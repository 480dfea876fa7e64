/*
 * impact.h
 *		One computation of ceptoar.impact(): what the SQL entry point (impact.c)
 *		asks of the two searches (impact_times.c, impact_areas.c) and the rows
 *		they give back.  The semantics are in docs/impact-semantics.md.
 */
#ifndef CEPTOAR_IMPACT_H
#define CEPTOAR_IMPACT_H

#include "gis.h"
#include "graph.h"

/* one affected instance: a row of impact(), by instance index */
typedef struct ImpactRow
{
	int			i;				/* the instance */
	int32		depth;
	int			via;			/* the instance it was reached from, -1: an
								 * origin */
	TimestampTz onset;
	TimestampTz end;
	Datum		area;			/* (Datum) 0: NULL, not located */
	int64		population;		/* -1: NULL */
} ImpactRow;

/* receives the rows, in the order of the result */
typedef void (*ImpactEmit) (void *arg, const ImpactRow *row);

typedef struct ImpactQuery
{
	Graph	   *g;
	const int  *origins;		/* indexes; the same one may come twice */
	int			norigins;
	TimestampTz began;
	TimestampTz end;			/* began + lasted, a valid timestamp */
	int64		limit;			/* began + horizon, saturated */
	Datum		footprint;		/* (Datum) 0: none */
	CrGis	   *gis;			/* NULL when no instance has geometry and no
								 * footprint */
	Oid			nsp;			/* the schema of the tables */
	MemoryContext cxt;			/* per query: fetched areas live here */
	ImpactEmit	emit;
	void	   *emit_arg;
} ImpactQuery;

/* impact_times.c: no geometry anywhere, one pass */
extern void cr_impact_times(const ImpactQuery *q);

/* impact_areas.c: service areas and sites, round by round */
extern void cr_impact_areas(const ImpactQuery *q);

#endif							/* CEPTOAR_IMPACT_H */
