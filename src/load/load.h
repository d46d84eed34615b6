/* Loader entry points for files other than reports. */
#ifndef QUORUM_LOAD_H
#define QUORUM_LOAD_H
#include "doc.h"
#include "quorum.h"

/* Loads an XML file whose root must be <want_root> in namespace ns, with
 * the report loader's safety rules and positions.  Every element becomes
 * a QN_UNKNOWN node (name, attributes with positions, text children).
 * NULL with diagnostics when the file cannot be read (diagnostic without
 * a line) or is not well-formed or has the wrong root (with a position). */
quorum_doc *qload_xml_file(const char *path, const char *want_root,
                           const char *ns, quorum_diags *d);

/* quorum_doc_load with options.  QLOAD_NO_SCHEMA: the schema is not
 * applied (doc->schema_checked stays 0).  For a file read again after a
 * read that validated it and gave its diagnostics (a pack reads each
 * report when it is checked and again when it is laid out): validation
 * reports and never changes the tree (the schema declares no default or
 * fixed values), so the tree is the same. */
#define QLOAD_NO_SCHEMA 1u
quorum_doc *qload_doc(const quorum_engine *e, const char *path,
                      quorum_diags *d, unsigned flags);

/* Parses the report schema at path (NULL: the copy compiled in,
 * util/builtin.h) for the engine.  0, or -1 with a diagnostic. */
struct _xmlSchema;
struct _xmlDoc;
int qload_schema_parse(const char *path, quorum_diags *d,
                       struct _xmlSchema **schema, struct _xmlDoc **schema_doc);
#endif
