/*
 * impact.h
 *		One computation of ceptoar.impact(): what the SQL entry point (impact.c)
 *		asks of the two searches (impact_times.c, impact_areas.c) and the rows
 *		they give back.  The semantics are in docs/impact-semantics.md.
 */
#ifndef CEPTOAR_IMPACT_H
#define CEPTOAR_IMPACT_H

#include "funcapi.h"
#include "utils/timestamp.h"

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
	ReturnSetInfo *rsinfo;		/* where the rows go, in the order of the
								 * result */
} ImpactQuery;

/* the columns of impact(): the type ceptoar.impact_row (src/sql/085_impact.sql) */
#define IMPACT_NCOLS	9

/*
 * The one row builder: (instance, service, sector, depth, onset, recovery,
 * via, area, population) of an affected instance.  Inline: the one-pass
 * search forms a hundred thousand rows in a loop timed in milliseconds.
 */
static inline void
cr_impact_put_row(const ImpactQuery *q, const ImpactRow *row)
{
	const Graph *g = q->g;
	Datum		v[IMPACT_NCOLS];
	bool		n[IMPACT_NCOLS] = {0};

	Service		service = cr_graph_service(g, row->i);

	v[0] = Int64GetDatum(cr_graph_id(g, row->i));
	v[1] = ServiceGetDatum(service);
	v[2] = SectorGetDatum(CR_SERVICE_SECTOR(service));
	v[3] = Int32GetDatum(row->depth);
	v[4] = TimestampTzGetDatum(row->onset);
	v[5] = TimestampTzGetDatum(row->end);
	n[6] = (row->via < 0);
	v[6] = n[6] ? (Datum) 0 : Int64GetDatum(cr_graph_id(g, row->via));
	n[7] = (row->area == (Datum) 0);
	v[7] = row->area;
	n[8] = (row->population < 0);
	v[8] = n[8] ? (Datum) 0 : Int64GetDatum(row->population);
	tuplestore_putvalues(q->rsinfo->setResult, q->rsinfo->setDesc, v, n);
}

/* impact_times.c: no geometry anywhere, one pass */
extern void cr_impact_times(const ImpactQuery *q);

/* impact_areas.c: service areas and sites, round by round */
extern void cr_impact_areas(const ImpactQuery *q);

#endif							/* CEPTOAR_IMPACT_H */
