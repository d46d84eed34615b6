/* Files compiled into the library (CMakeLists.txt, quorum_embed): each is
 * the file's bytes followed by a NUL that the length does not count. */
#ifndef QUORUM_BUILTIN_H
#define QUORUM_BUILTIN_H
#include <stddef.h>

/* schema/quorum-report-1.xsd: check validates reports with it. */
extern const unsigned char qbuiltin_schema_xsd[];
extern const size_t qbuiltin_schema_xsd_len;
/* data/bank-holidays-england-wales.txt: pack's clear-days rule. */
extern const unsigned char qbuiltin_holidays[];
extern const size_t qbuiltin_holidays_len;
#endif
