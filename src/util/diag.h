/* Diagnostics are data: every stage appends to one list, nothing is printed
 * until the caller decides how (text or JSON).  Positions are 1-based line
 * and column (column counted in Unicode characters), in the file where the
 * offending element or attribute stands. */
#ifndef QUORUM_DIAG_H
#define QUORUM_DIAG_H
#include <stddef.h>
#include <stdio.h>
#include "quorum.h"

typedef struct qpos {
    unsigned file;   /* index into the diag list's file table; 0 = none */
    unsigned line;   /* 0 = unknown */
    unsigned col;    /* 0 = unknown */
} qpos;

/* Register a file name; returns its index (>= 1).  Same name -> same index. */
unsigned qdiag_file(quorum_diags *d, const char *path);
const char *qdiag_file_name(const quorum_diags *d, unsigned file);

/* A diagnostic of class QUORUM_CLASS_INPUT. */
void qdiag_add(quorum_diags *d, quorum_severity sev, qpos pos,
               const char *fmt, ...) __attribute__((format(printf, 4, 5)));
/* Of another class (quorum.h): an unreadable file is IO, a file over a
 * limit LIMIT, a call that cannot be served USAGE. */
void qdiag_add_class(quorum_diags *d, quorum_class cls, quorum_severity sev,
                     qpos pos, const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));
#endif
