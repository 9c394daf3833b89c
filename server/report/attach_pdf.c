/*
 * attach_pdf.c: a PDF rewritten by qpdf without its metadata (see
 * attach_clean.h).
 *
 * Entry point: attach_pdf_clean. qpdf parses the whole file (no repair
 * of a damaged one: a truncated or broken PDF is refused, not guessed
 * at), refuses an encrypted one, then removes
 *  - the trailer's /Info (title, author, creator, producer, dates);
 *  - from every object: /Metadata (XMP streams of the document, pages
 *    and images) and /PieceInfo (private data of the program that made
 *    it);
 *  - from the catalogue: /OpenAction and /AA (actions on opening) and,
 *    from its name tree, /EmbeddedFiles and /JavaScript;
 * and writes the rest anew with a fresh /ID computed from the content
 * (the old /ID could match a copy on the author's computer). Objects no
 * longer referenced are not written.
 */
#include <stdlib.h>
#include <string.h>

#include <qpdf/qpdf-c.h>

#include "report/attach_int.h"

/* More objects than this is not a letter or a screenshot. */
#define PDF_OBJECTS_MAX	500000

static void
strip_object(qpdf_data q, qpdf_oh oh)
{
	static const char *const keys[] = { "/Metadata", "/PieceInfo" };
	size_t i;

	if (qpdf_oh_is_stream(q, oh))
		oh = qpdf_oh_get_dict(q, oh);
	if (!qpdf_oh_is_dictionary(q, oh))
		return;
	for (i = 0; i < sizeof(keys) / sizeof(keys[0]); i++)
		qpdf_oh_remove_key(q, oh, keys[i]);
}

static int
strip_all(qpdf_data q)
{
	qpdf_oh trailer, root, names, size;
	int i, n;

	trailer = qpdf_get_trailer(q);
	qpdf_oh_remove_key(q, trailer, "/Info");
	size = qpdf_oh_get_key(q, trailer, "/Size");
	n = qpdf_oh_get_int_value_as_int(q, size);
	if (n <= 0 || n > PDF_OBJECTS_MAX)
		return -1;
	for (i = 1; i < n; i++) {
		strip_object(q, qpdf_get_object_by_id(q, i, 0));
		if (i % 1024 == 0)
			qpdf_oh_release_all(q);
	}
	root = qpdf_get_root(q);
	strip_object(q, root);
	qpdf_oh_remove_key(q, root, "/OpenAction");
	qpdf_oh_remove_key(q, root, "/AA");
	names = qpdf_oh_get_key(q, root, "/Names");
	if (qpdf_oh_is_dictionary(q, names)) {
		qpdf_oh_remove_key(q, names, "/EmbeddedFiles");
		qpdf_oh_remove_key(q, names, "/JavaScript");
	}
	return qpdf_has_error(q) ? -1 : 0;
}

enum attach_refusal
attach_pdf_clean(const uint8_t *in, size_t n, uint8_t **out, size_t *outlen)
{
	qpdf_data q;
	const unsigned char *buf;
	size_t len;
	enum attach_refusal why = ATTACH_REFUSE_DECODE;

	if ((q = qpdf_init()) == NULL)
		return ATTACH_REFUSE_MEMORY;
	qpdf_silence_errors(q);
	qpdf_set_suppress_warnings(q, QPDF_TRUE);
	qpdf_set_attempt_recovery(q, QPDF_FALSE);
	if (qpdf_read_memory(q, "attachment", (const char *)in,
	    (unsigned long long)n, NULL) & QPDF_ERRORS)
		goto out;
	if (qpdf_is_encrypted(q)) {
		why = ATTACH_REFUSE_ENCRYPTED;
		goto out;
	}
	if (strip_all(q) != 0)
		goto out;
	if (qpdf_init_write_memory(q) & QPDF_ERRORS)
		goto out;
	qpdf_set_deterministic_ID(q, QPDF_TRUE);
	if (qpdf_write(q) & QPDF_ERRORS)
		goto out;
	buf = qpdf_get_buffer(q);
	len = qpdf_get_buffer_length(q);
	if (buf == NULL || len == 0)
		goto out;
	if ((*out = malloc(len)) == NULL) {
		why = ATTACH_REFUSE_MEMORY;
		goto out;
	}
	memcpy(*out, buf, len);
	*outlen = len;
	why = ATTACH_OK;
out:
	/* qpdf's messages may quote the file; they are taken (else
	 * qpdf_cleanup prints a warning) and not logged. */
	while (qpdf_has_error(q))
		(void)qpdf_get_error(q);
	qpdf_cleanup(&q);
	return why;
}
