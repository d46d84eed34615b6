/* libxml2 without ICU, for the quorum command: a libicuuc of its own
 * that the command's DT_RPATH finds before the system's (QUORUM_ICU_STUB,
 * on by default: libxml2.so stays the system's), or linked in when the
 * command links libxml2's static archive (QUORUM_STATIC_LIBXML2);
 * CMakeLists.txt says why.
 *
 * Debian's libxml2 is built with ICU, which it asks for a converter only
 * for an encoding that neither libxml2 itself nor iconv knows.  quorum
 * never gets there for the files it reads: reports, appendices, meeting,
 * style and strings files and Word parts are refused unless they are
 * UTF-8 or ASCII (qload_check_encoding) before libxml2 sees them; only a
 * schema named by QUORUM_SCHEMA_DIR is decoded by libxml2 itself, and
 * iconv knows the encodings a schema is written in (one only ICU decodes,
 * such as SCSU, is refused: e2e_static_xml).  Linked dynamically, ICU
 * (with libstdc++ and its 30 MB data file) cost every run about 2.9 M
 * instructions of loading and a hundred page faults before main, so
 * the command takes these functions instead: no converter
 * exists, as in a libxml2 built without ICU ("unsupported encoding").
 *
 * Not compiled into the libraries (libquorum.so and .a link libxml2 as
 * the system has it); ICU's header gives the names their version suffix
 * (ucnv_open_72) and the signatures their types. */
#include <unicode/ucnv.h>

UConverter *ucnv_open(const char *name, UErrorCode *err) {
    if (err && !U_FAILURE(*err)) *err = U_FILE_ACCESS_ERROR;
    return NULL;
}

/* Never called: libxml2 calls them only on a converter ucnv_open gave. */
void ucnv_close(UConverter *cnv) {}

void ucnv_setToUCallBack(UConverter *cnv, UConverterToUCallback action,
                         const void *context, UConverterToUCallback *old_action,
                         const void **old_context, UErrorCode *err) {
    if (err && !U_FAILURE(*err)) *err = U_UNSUPPORTED_ERROR;
}

void ucnv_setFromUCallBack(UConverter *cnv, UConverterFromUCallback action,
                           const void *context, UConverterFromUCallback *old_action,
                           const void **old_context, UErrorCode *err) {
    if (err && !U_FAILURE(*err)) *err = U_UNSUPPORTED_ERROR;
}

void ucnv_convertEx(UConverter *target_cnv, UConverter *source_cnv, char **target,
                    const char *target_limit, const char **source,
                    const char *source_limit, UChar *pivot_start, UChar **pivot_source,
                    UChar **pivot_target, const UChar *pivot_limit, UBool reset,
                    UBool flush, UErrorCode *err) {
    if (err && !U_FAILURE(*err)) *err = U_UNSUPPORTED_ERROR;
}

/* libxml2 passes these two to the setters above; they stop a conversion. */
void UCNV_FROM_U_CALLBACK_STOP(const void *context, UConverterFromUnicodeArgs *args,
                               const UChar *units, int32_t length, UChar32 c,
                               UConverterCallbackReason reason, UErrorCode *err) {
}

void UCNV_TO_U_CALLBACK_STOP(const void *context, UConverterToUnicodeArgs *args,
                             const char *units, int32_t length,
                             UConverterCallbackReason reason, UErrorCode *err) {
}
