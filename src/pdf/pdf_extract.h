/* Shared by the PDF writer and quorum_pdf_extract (src/pdf/pdf_extract.c). */
#ifndef QUORUM_PDF_EXTRACT_H
#define QUORUM_PDF_EXTRACT_H

/* 1 when name is safe as an attachment name and as a file to create in a
 * directory: one path component (no '/' or '\\'), not "." or "..", valid
 * UTF-8, no control characters, at most 255 bytes. */
int qpdf_safe_name(const char *name);
#endif
