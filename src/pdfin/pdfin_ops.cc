/* The table quorum-pdfin.so hands to pdfin_module.c: the module's only
 * exported symbol (the rest is hidden, so libqpdf's C++ never meets the
 * program's names). */
#include "pdfin.h"

extern "C" __attribute__((visibility("default"))) const qpdfin_ops *
quorum_pdfin_module(void) {
    static const qpdfin_ops ops = {
        QPDFIN_ABI,     sizeof(qpdfin_ops), qpdfin_open,  qpdfin_close,
        qpdfin_find_files, qpdfin_file_name, qpdfin_file_data, qpdfin_inspect,
        qpdfin_doc_free, qpdfin_place,    qpdfin_version};
    return &ops;
}
