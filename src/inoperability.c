/*
 * inoperability.c
 *		The Inoperability Input-Output Model (Haimes and Jiang 2001; Santos and
 *		Haimes 2004): q = (I - A*)^-1 c*, each q clipped to [0, 1].
 *
 * Row i of A* says how much sector i's inoperability follows each sector j's;
 * c* is the direct perturbation.  Solved by Gaussian elimination with partial
 * pivoting (the systems are sector-sized, so dense is right).
 */
#include "postgres.h"

#include <math.h>

#include "catalog/pg_type.h"
#include "utils/array.h"
#include "utils/builtins.h"

#include "ceptoar_registry.h"

#define MAX_SECTORS_IIM 1000

static double *
float8_elems(ArrayType *arr, const char *what, int *n)
{
	Datum	   *elems;
	bool	   *nulls;
	double	   *out;

	deconstruct_array(arr, FLOAT8OID, 8, FLOAT8PASSBYVAL, TYPALIGN_DOUBLE,
					  &elems, &nulls, n);
	out = palloc(sizeof(double) * Max(*n, 1));
	for (int i = 0; i < *n; i++)
	{
		if (nulls[i])
			ereport(ERROR,
					(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
					 errmsg("%s must not contain NULL", what),
					 errdetail("Element %d is NULL.", i + 1)));
		out[i] = DatumGetFloat8(elems[i]);
		if (!isfinite(out[i]))
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("%s must hold finite numbers", what),
					 errdetail("Element %d is %g.", i + 1, out[i])));
	}
	return out;
}

PG_FUNCTION_INFO_V1(inoperability_solve);
/* inoperability(a float8[][], c float8[]) -> q float8[] */
Datum
inoperability_solve(PG_FUNCTION_ARGS)
{
	ArrayType  *a_arr = PG_GETARG_ARRAYTYPE_P(0);
	ArrayType  *c_arr = PG_GETARG_ARRAYTYPE_P(1);
	int			n,
				na,
				nc;
	double	   *a,
			   *c,
			   *m;
	Datum	   *out;

	if (ARR_NDIM(a_arr) != 2 || ARR_DIMS(a_arr)[0] != ARR_DIMS(a_arr)[1])
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("the interdependency matrix must be square"),
				 ARR_NDIM(a_arr) == 2 ?
				 errdetail("It has %d rows and %d columns.", ARR_DIMS(a_arr)[0], ARR_DIMS(a_arr)[1]) :
				 errdetail("It has %d dimensions, not 2.", ARR_NDIM(a_arr)),
				 errhint("Give a as a two-dimensional array, row i saying how much sector i depends on each sector j.")));
	n = ARR_DIMS(a_arr)[0];
	if (n > MAX_SECTORS_IIM)
		ereport(ERROR,
				(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
				 errmsg("at most %d sectors are supported", MAX_SECTORS_IIM)));
	if (ARR_NDIM(c_arr) != 1 || ARR_DIMS(c_arr)[0] != n)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("the perturbation does not match the matrix"),
				 errdetail("The matrix is %d x %d; the perturbation has %d elements in %d dimensions.",
						   n, n, ARR_NDIM(c_arr) ? ARR_DIMS(c_arr)[0] : 0, ARR_NDIM(c_arr)),
				 errhint("Give one perturbation per row of the matrix.")));
	a = float8_elems(a_arr, "the interdependency matrix", &na);
	c = float8_elems(c_arr, "the perturbation", &nc);

	/* augmented [I - A | c] */
	m = palloc(sizeof(double) * n * (n + 1));
	for (int i = 0; i < n; i++)
	{
		for (int j = 0; j < n; j++)
			m[i * (n + 1) + j] = (i == j ? 1.0 : 0.0) - a[i * n + j];
		m[i * (n + 1) + n] = c[i];
	}
	for (int col = 0; col < n; col++)
	{
		int			piv = col;
		double		scale = 0;

		for (int i = col; i < n; i++)
			if (fabs(m[i * (n + 1) + col]) > fabs(m[piv * (n + 1) + col]))
				piv = i;
		for (int j = 0; j < n; j++)
			scale = Max(scale, fabs(m[col * (n + 1) + j]));
		if (fabs(m[piv * (n + 1) + col]) <= 1e-12 * Max(scale, 1.0))
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("the inoperability system is singular"),
					 errdetail("I - A has no inverse (column %d has no pivot).", col + 1),
					 errhint("A sector cannot depend on itself and its suppliers with total weight 1; check the coefficients.")));
		if (piv != col)
			for (int j = 0; j <= n; j++)
			{
				double		tmp = m[col * (n + 1) + j];

				m[col * (n + 1) + j] = m[piv * (n + 1) + j];
				m[piv * (n + 1) + j] = tmp;
			}
		for (int i = 0; i < n; i++)
		{
			double		f;

			if (i == col)
				continue;
			f = m[i * (n + 1) + col] / m[col * (n + 1) + col];
			if (f == 0)
				continue;
			for (int j = col; j <= n; j++)
				m[i * (n + 1) + j] -= f * m[col * (n + 1) + j];
		}
	}
	out = palloc(sizeof(Datum) * Max(n, 1));
	for (int i = 0; i < n; i++)
	{
		double		q = m[i * (n + 1) + n] / m[i * (n + 1) + i];

		out[i] = Float8GetDatum(q < 0 ? 0 : q > 1 ? 1 : q);
	}
	PG_RETURN_ARRAYTYPE_P(construct_array(out, n, FLOAT8OID, 8, FLOAT8PASSBYVAL,
										  TYPALIGN_DOUBLE));
}
