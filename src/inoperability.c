/*
 * inoperability.c
 *		The Inoperability Input-Output Model (Haimes and Jiang 2001; Santos and
 *		Haimes 2004): q = (I - A*)^-1 c*, each q clipped to [0, 1].
 *
 * Row i of A* says how much sector i's inoperability follows each sector j's;
 * c* is the direct perturbation.  Solved by Gaussian elimination with partial
 * pivoting (the systems are sector-sized, so dense is right).
 *
 * Any finite input gives a q in [0, 1] or an error, never NaN:
 * - c* is scaled by its largest magnitude, each row of I - A* (with its
 *   element of c*) by the largest magnitude of the row, then each column by
 *   the largest magnitude of the column (equilibration, by powers of two so
 *   that it rounds nothing; the solution only changes by the column factors,
 *   applied at the end).  Every coefficient is then below 1 and every column
 *   has one of at least 1/2, so a system whose rows or columns differ by
 *   hundreds of orders of magnitude is solved as well as a moderate one.  The
 *   price: where c* and the rows span such ranges too, an element of q may
 *   lose digits below 1e-300 or so (subnormal numbers), far below anything
 *   an inoperability can mean.
 * - Elimination subtracts multiples (at most 1 in magnitude, thanks to the
 *   partial pivoting) of the pivot row from the rows below it only: the
 *   coefficients grow by at most 2^(n-1), which for n <= MAX_SECTORS_IIM
 *   stays finite.
 * - A pivot of at most 1e-12 (relative to columns of magnitude about 1)
 *   means I - A* has no inverse in double precision: 22023, as before.
 * - Only the right-hand side can still overflow (a system close to singular,
 *   or a row of tiny coefficients).  Once a value is not finite, neither the
 *   sign nor the size of q can be trusted, so back substitution raises 22003
 *   there instead of letting inf - inf make a NaN that the clip would pass.
 * - The scaled solution is finite; scaled back (ldexp) it may overflow to an
 *   infinity, but one of the right sign, which the clip makes 0 or 1 as it
 *   would the exact value.
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

/*
 * The power of two that brings maxabs into [0.5, 1): scaling by it is exact
 * (unless the result is subnormal), so moderate systems are solved exactly
 * as without scaling.  0 for 0: nothing to scale.
 */
static int
scale_exponent(double maxabs)
{
	int			e = 0;

	if (maxabs > 0)
		(void) frexp(maxabs, &e);
	return e;
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
			   *m,
			   *x,
				cmax;
	int			cexp,
			   *colexp;
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

	/* augmented [I - A | c], equilibrated: see the head of the file */
	cmax = 0;
	for (int i = 0; i < n; i++)
		cmax = Max(cmax, fabs(c[i]));
	cexp = scale_exponent(cmax);
	m = palloc(sizeof(double) * n * (n + 1));
	for (int i = 0; i < n; i++)
	{
		double		rmax = 0;
		int			rexp;

		for (int j = 0; j < n; j++)
		{
			m[i * (n + 1) + j] = (i == j ? 1.0 : 0.0) - a[i * n + j];
			rmax = Max(rmax, fabs(m[i * (n + 1) + j]));
		}
		m[i * (n + 1) + n] = ldexp(c[i], -cexp);
		rexp = scale_exponent(rmax);	/* a zero row has no pivot: found
										 * below */
		for (int j = 0; j <= n; j++)
			m[i * (n + 1) + j] = ldexp(m[i * (n + 1) + j], -rexp);
	}
	colexp = palloc(sizeof(int) * Max(n, 1));
	for (int j = 0; j < n; j++)
	{
		double		colmax = 0;

		for (int i = 0; i < n; i++)
			colmax = Max(colmax, fabs(m[i * (n + 1) + j]));
		colexp[j] = scale_exponent(colmax); /* a zero column: found below */
		for (int i = 0; i < n; i++)
			m[i * (n + 1) + j] = ldexp(m[i * (n + 1) + j], -colexp[j]);
	}
	/* forward elimination with partial pivoting */
	for (int col = 0; col < n; col++)
	{
		int			piv = col;

		for (int i = col + 1; i < n; i++)
			if (fabs(m[i * (n + 1) + col]) > fabs(m[piv * (n + 1) + col]))
				piv = i;
		if (!(fabs(m[piv * (n + 1) + col]) > 1e-12))
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("the inoperability system is singular"),
					 errdetail("I - A has no inverse (column %d has no pivot).", col + 1),
					 errhint("A sector cannot depend on itself and its suppliers with total weight 1; check the coefficients.")));
		if (piv != col)
			for (int j = col; j <= n; j++)
			{
				double		tmp = m[col * (n + 1) + j];

				m[col * (n + 1) + j] = m[piv * (n + 1) + j];
				m[piv * (n + 1) + j] = tmp;
			}
		for (int i = col + 1; i < n; i++)
		{
			double		f = m[i * (n + 1) + col] / m[col * (n + 1) + col];

			if (f == 0)
				continue;
			m[i * (n + 1) + col] = 0;
			for (int j = col + 1; j <= n; j++)
				m[i * (n + 1) + j] -= f * m[col * (n + 1) + j];
		}
	}
	/* back substitution; x_j holds q_j * 2^(colexp_j - cexp) */
	x = palloc(sizeof(double) * Max(n, 1));
	for (int i = n - 1; i >= 0; i--)
	{
		double		s = m[i * (n + 1) + n];

		for (int j = i + 1; j < n; j++)
			s -= m[i * (n + 1) + j] * x[j];
		x[i] = s / m[i * (n + 1) + i];
		if (!isfinite(x[i]))
			ereport(ERROR,
					(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
					 errmsg("the inoperability of sector %d is out of range for double precision", i + 1),
					 errdetail("Solving (I - A) q = c overflows: the matrix is too close to singular for the size of its coefficients and of the perturbation."),
					 errhint("Coefficients and perturbations are fractions of normal operation, between 0 and 1; check them.")));
	}
	out = palloc(sizeof(Datum) * Max(n, 1));
	for (int i = 0; i < n; i++)
	{
		/* finite operands, positive factors: at worst an infinity, never NaN */
		double		q = ldexp(x[i], cexp - colexp[i]);

		out[i] = Float8GetDatum(q <= 0 ? 0.0 : q >= 1 ? 1.0 : q);
	}
	PG_RETURN_ARRAYTYPE_P(construct_array(out, n, FLOAT8OID, 8, FLOAT8PASSBYVAL,
										  TYPALIGN_DOUBLE));
}
