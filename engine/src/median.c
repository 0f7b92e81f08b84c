/*
 * median.c - a bounded median: every value up to MEDIAN_EXACT, then a
 * reservoir sample (Vitter's algorithm R) of that size.
 */
#include <stdlib.h>

#include "median.h"

/* splitmix64: small, fast and the same on every machine */
static uint64_t next_draw(median *m)
{
	uint64_t z = (m->draw += 0x9e3779b97f4a7c15ull);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
	return z ^ (z >> 31);
}

int median_add(median *m, double value)
{
	if (m->kept == NULL &&
	    (m->kept = malloc(MEDIAN_EXACT * sizeof(double))) == NULL)
		return cw_error_set(CW_ERROR, CW_NOMEM_MESSAGE);
	if (m->count < MEDIAN_EXACT) {
		m->kept[m->count++] = value;
	} else {
		/* the n+1-th value replaces a kept one with probability
		 * MEDIAN_EXACT / (n + 1): every value seen stays equally
		 * likely to be kept */
		uint64_t j = next_draw(m) % (uint64_t)(m->n + 1);

		if (j < MEDIAN_EXACT)
			m->kept[j] = value;
	}
	m->n++;
	return 0;
}

static int compare_doubles(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

double median_value(median *m)
{
	size_t k = m->count;

	if (k == 0)
		return 0;
	qsort(m->kept, k, sizeof(double), compare_doubles);
	return k % 2 ? m->kept[k / 2]
		     : (m->kept[k / 2 - 1] + m->kept[k / 2]) / 2;
}

void median_clear(median *m)
{
	free(m->kept);
	*m = (median)MEDIAN_INIT;
}
