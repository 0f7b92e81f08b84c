/*
 * median.h - the median of a stream of numbers in bounded memory: exact
 * up to MEDIAN_EXACT values, then the median of a uniform sample of that
 * many (reservoir sampling with a fixed seed, so that one cohort always
 * gives one figure).  Private to the engine.
 */
#ifndef CW_MEDIAN_H
#define CW_MEDIAN_H

#include <stddef.h>
#include <stdint.h>

#include "casework/report.h"

#define MEDIAN_EXACT CW_REPORT_MEDIAN_EXACT

typedef struct median {
	long n;	       /* values seen */
	size_t count;  /* values kept: min(n, MEDIAN_EXACT) */
	double *kept;  /* MEDIAN_EXACT of them at most; owned */
	uint64_t draw; /* the sampler's state */
} median;

#define MEDIAN_INIT                                                            \
	{                                                                      \
		0, 0, NULL, 0x9e3779b97f4a7c15ull                              \
	}

/* Take one value: 0, or CW_ERROR when out of memory. */
int median_add(median *m, double value);

/* The median of the values kept (the mean of the two middle ones when
 * their count is even; sorts them); 0 when there is none. */
double median_value(median *m);

/* Free what `m` keeps and make it MEDIAN_INIT again. */
void median_clear(median *m);

#endif
