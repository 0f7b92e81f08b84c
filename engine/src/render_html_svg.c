/*
 * render_html_svg.c - the picture of a session's time in each phase that
 * an HTML export draws, as inline SVG.  Apart from render_html.c, which
 * lays out the page around it.
 */
#include <stdio.h>
#include <string.h>

#include "casework/common.h"
#include "render.h"
#include "render_doc.h"

/* The phases as rows and each visit as a bar as long as its time; a visit
 * begun by a revisit or an early termination is coloured and marked. */
void render_html_svg(FILE *out, const cJSON *doc, int n)
{
	const int label = 150, width = 760, bar = width - label - 90, row = 26;
	const int top = 10, phases = cJSON_GetArraySize(get(doc, "phases"));
	const int height = top + phases * row + 34;
	const cJSON *ph, *v;
	double total = 0, at = 0;
	int visits = cJSON_GetArraySize(get(doc, "visits")), k = 0, i = 0;
	char took[32];

	cJSON_ArrayForEach(v, get(doc, "visits"))
	{
		total += num(v, "seconds");
	}
	fprintf(out,
		"<svg class=\"timeline\" viewBox=\"0 0 %d %d\" role=\"img\" "
		"aria-labelledby=\"timeline-title-%d\">\n"
		"<title id=\"timeline-title-%d\">Time on each visit to a "
		"phase</title>\n",
		width, height, n, n);
	cJSON_ArrayForEach(ph, get(doc, "phases"))
	{
		int y = top + i * row;

		fprintf(out,
			"<line class=\"row\" x1=\"%d\" y1=\"%d\" x2=\"%d\" "
			"y2=\"%d\"/>\n<text x=\"%d\" y=\"%d\" "
			"text-anchor=\"end\">",
			label, y + row, label + bar, y + row, label - 8,
			y + row / 2 + 4);
		render_html_text(out, str(ph, "title"));
		fputs("</text>\n", out);
		i++;
	}
	cJSON_ArrayForEach(v, get(doc, "visits"))
	{
		const char *how = str(v, "entered_by");
		double share =
		    total > 0 ? num(v, "seconds") / total : 1.0 / visits;
		double x =
		    label + bar * (total > 0 ? at / total : (double)k / visits);
		double w = bar * share > 4 ? bar * share : 4;
		int index = 0;

		cJSON_ArrayForEach(ph, get(doc, "phases"))
		{
			if (strcmp(str(ph, "id"), str(v, "phase")) == 0)
				break;
			index++;
		}
		if (x + w > label + bar)
			x = label + bar - w;
		doc_duration(took, sizeof(took), num(v, "seconds"));
		fprintf(out,
			"<rect class=\"%s\" x=\"%.1f\" y=\"%d\" width=\"%.1f\" "
			"height=\"%d\" rx=\"2\"><title>",
			how, x, top + index * row + 5, w, row - 10);
		render_html_text(out, doc_phase_title(doc, str(v, "phase")));
		fprintf(out, ": %s", took);
		if (has(v, "reason")) {
			fputs(strcmp(how, "revisit") == 0 ? " (revisited: "
							  : " (terminated: ",
			      out);
			render_html_text(out, str(v, "reason"));
			fputc(')', out);
		}
		fputs("</title></rect>\n", out);
		if (has_reason(how))
			fprintf(out,
				"<text class=\"mark\" x=\"%.1f\" y=\"%d\">%s"
				"</text>\n",
				x + w + 4, top + index * row + row / 2 + 4,
				strcmp(how, "revisit") == 0 ? "&#8634; revisit"
							    : "&#8677; ended");
		at += num(v, "seconds");
		k++;
	}
	doc_duration(took, sizeof(took), total);
	fprintf(out,
		"<text x=\"%d\" y=\"%d\">0</text>\n"
		"<text x=\"%d\" y=\"%d\" text-anchor=\"end\">%s in all</text>\n"
		"</svg>\n",
		label, top + phases * row + 20, label + bar,
		top + phases * row + 20, took);
	fputs("<p class=\"legend\"><span><i style=\"background:#3b6ea8\"></i>"
	      "visit</span><span><i style=\"background:#c77700\"></i>revisit"
	      "</span><span><i style=\"background:#7a3b8f\"></i>after early "
	      "termination</span></p>\n",
	      out);
}
