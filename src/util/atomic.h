/* Replacing a file so that it is either the old file or the complete new
 * one, never a mix and never a stub: the bytes go to a temporary file
 * beside the target ("PATH.xxxxxx", same directory so rename is atomic),
 * which is renamed over the target only when every write, the optional
 * fsync and the close succeeded.  On any failure the temporary file is
 * removed and the target is untouched.
 *
 * Durability is the caller's choice (README explains the trade):
 *  QATOMIC_DURABLE   fsync the file before the rename and its directory
 *                    after: archive copies and the pack manifest, records
 *                    that must survive a power cut.
 *  QATOMIC_ORDINARY  no fsync: output that can be made again; an fsync
 *                    costs more than the rest of a small build, and ext4
 *                    (auto_da_alloc), XFS and btrfs order a
 *                    replace-by-rename after the data anyway.
 *
 * A replaced file keeps its permission bits; a new one gets 0666 less the
 * umask, like any file the user creates. */
#ifndef QUORUM_ATOMIC_H
#define QUORUM_ATOMIC_H
#include <stddef.h>

enum { QATOMIC_ORDINARY = 0, QATOMIC_DURABLE = 1 };

typedef struct qatomic qatomic;

/* Creates the temporary file.  NULL with errno set when it cannot. */
qatomic *qatomic_open(const char *path, int durability);
/* A sink (same shape as quorum_write_fn): appends n bytes, buffered.
 * Returns 0, or -1 after the first failure (every later call fails too;
 * qatomic_commit then reports it). */
int qatomic_write(void *a, const void *p, size_t n);
/* Finishes: flush, fsync by policy, close, rename.  Returns 0, or an errno
 * value (the first failure, including one from qatomic_write) after
 * removing the temporary file.  Frees a either way. */
int qatomic_commit(qatomic *a);
/* The errno value of the first failed write so far, or 0. */
int qatomic_error(const qatomic *a);
/* Gives up: removes the temporary file and frees a.  NULL is a no-op. */
void qatomic_abort(qatomic *a);

/* The whole of data[0..n) as the new contents of path.  0 or an errno. */
int qatomic_write_file(const char *path, const void *data, size_t n,
                       int durability);
#endif
