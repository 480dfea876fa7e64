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
 * The values of one row: (instance, service, sector, depth, onset,
 * recovery, via, area, population) of an affected instance.  Inline: the
 * one-pass search forms a hundred thousand rows in a loop timed in
 * milliseconds.
 */
static inline void
cr_impact_row_values(const Graph *g, const ImpactRow *row, Datum *v, bool *n)
{
	Service		service = cr_graph_service(g, row->i);

	v[0] = Int64GetDatum(cr_graph_id(g, row->i));
	n[0] = false;
	v[1] = ServiceGetDatum(service);
	n[1] = false;
	v[2] = SectorGetDatum(CR_SERVICE_SECTOR(service));
	n[2] = false;
	v[3] = Int32GetDatum(row->depth);
	n[3] = false;
	v[4] = TimestampTzGetDatum(row->onset);
	n[4] = false;
	v[5] = TimestampTzGetDatum(row->end);
	n[5] = false;
	n[6] = (row->via < 0);
	v[6] = n[6] ? (Datum) 0 : Int64GetDatum(cr_graph_id(g, row->via));
	n[7] = (row->area == (Datum) 0);
	v[7] = row->area;
	n[8] = (row->population < 0);
	v[8] = n[8] ? (Datum) 0 : Int64GetDatum(row->population);
}

/* the one row builder of the function: a row into its tuplestore */
static inline void
cr_impact_put_row(const ImpactQuery *q, const ImpactRow *row)
{
	Datum		v[IMPACT_NCOLS];
	bool		n[IMPACT_NCOLS];

	cr_impact_row_values(q->g, row, v, n);
	tuplestore_putvalues(q->rsinfo->setResult, q->rsinfo->setDesc, v, n);
}

/* impact.c: the row type checked; the arguments checked, the graph taken */
extern bool cr_impact_row_type_ok(TupleDesc desc, Oid nsp);
extern void cr_impact_row_type_error(void) pg_attribute_noreturn();
extern void cr_impact_setup(ImpactQuery *q, Oid fn, MemoryContext cxt,
							const Datum *args, const bool *nulls);

/* impact_times.c: no geometry anywhere, one pass */
extern void cr_impact_times(const ImpactQuery *q);

/*
 * The same search, its rows handed out one by one (impact_scan.c): the
 * search's state, in CurrentMemoryContext at the search, and the number of
 * rows.  The graph must stay as it is until the last row is taken.
 */
typedef struct CrTimesRows CrTimesRows;
extern CrTimesRows *cr_impact_times_search(const ImpactQuery *q, int *nrows);
extern void cr_impact_times_row(const CrTimesRows *r, int k, ImpactRow *row);

/* impact_areas.c: service areas and sites, round by round */
extern void cr_impact_areas(const ImpactQuery *q);

#endif							/* CEPTOAR_IMPACT_H */
