// The libqpdf adapter behind pdfin.h.  C++ because libqpdf's C API cannot
// bound a stream's decoding (it hands back the whole decoded buffer; a
// 1 MB Flate stream can decode to gigabytes), while a Pipeline of our own
// stops at a limit.  Every entry point catches everything: no exception
// reaches C.
// no PointerHolder compatibility: this code uses std::shared_ptr only
#define POINTERHOLDER_TRANSITION 4
#include <qpdf/Pipeline.hh>
#include <qpdf/QPDF.hh>
#include <qpdf/QPDFExc.hh>
#include <qpdf/QPDFObjectHandle.hh>

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <exception>
#include <map>
#include <memory>
#include <new>
#include <stdexcept>
#include <string>
#include <unordered_set>
#include <vector>

#include "pdfin.h"

namespace {

struct found {
    std::string name;
    QPDFObjectHandle stream;
};

// Thrown by the capped pipeline; its flag is what the caller trusts, in
// case libqpdf turns the exception into a warning.
struct too_big : std::runtime_error {
    too_big() : std::runtime_error("over the limit") {}
};

class capped : public Pipeline {
  public:
    capped(size_t max) : Pipeline("quorum capped", nullptr), max_(max) {}
    void write(unsigned char const *p, size_t n) override {
        if (over || n > max_ - data.size()) {
            over = true;
            throw too_big();
        }
        data.append(reinterpret_cast<char const *>(p), n);
    }
    void finish() override {}
    std::string data;
    bool over = false;

  private:
    size_t max_;
};

void say(char *why, size_t whyn, std::string const &s) {
    if (whyn) std::snprintf(why, whyn, "%s", s.c_str());
}

// libqpdf's reason without its "description (offset):" prefix, which
// would repeat the file's name; the offset follows it.
void say(char *why, size_t whyn, QPDFExc const &e) {
    if (e.getErrorCode() == qpdf_e_password)
        say(why, whyn, "it is encrypted with a password");
    else if (e.getFilePosition() > 0)
        say(why, whyn, e.getMessageDetail() + " (at byte " +
                           std::to_string(e.getFilePosition()) + ")");
    else
        say(why, whyn, e.getMessageDetail());
}

unsigned long long key(QPDFObjectHandle &o) {
    QPDFObjGen g = o.getObjGen();
    return static_cast<unsigned long long>(static_cast<unsigned>(g.getObj())) << 32 |
           static_cast<unsigned>(g.getGen());
}

} // namespace

struct qpdfin {
    QPDF pdf;
    std::vector<found> files;
    std::unordered_set<std::string> names;
    std::unordered_set<unsigned long long> seen; // indirect nodes visited
};

namespace {

// First visit of o: true.  Direct objects appear once in the file, so
// only indirect ones can be reached twice.
bool first_visit(qpdfin *q, QPDFObjectHandle &o) {
    return !o.isIndirect() || q->seen.insert(key(o)).second;
}

// A file specification: its name and embedded file stream, taken unless
// its name was found already.
void take_spec(qpdfin *q, QPDFObjectHandle spec) {
    if (!spec.isDictionary()) {
        // a string names a file outside the PDF: nothing embedded
        if (spec.isString()) return;
        throw std::runtime_error("malformed file specification");
    }
    QPDFObjectHandle ef = spec.getKey("/EF");
    if (!ef.isDictionary()) return; // an external file, nothing embedded
    QPDFObjectHandle n = spec.getKey("/UF");
    if (!n.isString()) n = spec.getKey("/F");
    if (!n.isString()) throw std::runtime_error("an attachment has no file name");
    std::string name = n.getUTF8Value();
    if (!q->names.insert(name).second) return;
    QPDFObjectHandle s = ef.getKey("/UF");
    if (!s.isStream()) s = ef.getKey("/F");
    if (!s.isStream())
        throw std::runtime_error("an attachment's embedded file is not a stream");
    q->files.push_back(found{name, s});
}

void take_af(qpdfin *q, QPDFObjectHandle af) {
    if (!af.isArray()) return;
    for (auto item : af.aitems())
        if (first_visit(q, item)) take_spec(q, item);
}

// A tree of /Kids (the name tree, the page tree) in its order, each node
// once: at(node, leaf) for every node, leaf when it has no /Kids.  An
// explicit stack, so the tree's depth costs no C stack.
template <class F> void walk(qpdfin *q, QPDFObjectHandle root, F at) {
    std::vector<QPDFObjectHandle> todo{root};
    while (!todo.empty()) {
        QPDFObjectHandle node = todo.back();
        todo.pop_back();
        if (!node.isDictionary() || !first_visit(q, node)) continue;
        QPDFObjectHandle kids = node.getKey("/Kids");
        at(node, !kids.isArray());
        if (!kids.isArray()) continue;
        // reversed onto the stack, so the tree is read in its order
        for (int i = kids.getArrayNItems(); i-- > 0;) todo.push_back(kids.getArrayItem(i));
    }
}

void take_names(qpdfin *q, QPDFObjectHandle node) {
    QPDFObjectHandle names = node.getKey("/Names");
    if (!names.isArray()) return;
    int n = names.getArrayNItems();
    for (int i = 1; i < n; i += 2) {
        QPDFObjectHandle spec = names.getArrayItem(i);
        if (first_visit(q, spec)) take_spec(q, spec);
    }
}

void take_page(qpdfin *q, QPDFObjectHandle page) {
    take_af(q, page.getKey("/AF"));
    QPDFObjectHandle annots = page.getKey("/Annots");
    if (!annots.isArray()) return;
    for (auto a : annots.aitems()) {
        if (!a.isDictionary() || !first_visit(q, a)) continue;
        if (a.getKey("/Subtype").isNameAndEquals("/FileAttachment")) {
            QPDFObjectHandle fs = a.getKey("/FS");
            if (first_visit(q, fs)) take_spec(q, fs);
        }
    }
}

// f(), every exception caught and said in why: true when none was thrown.
template <class F> bool guarded(char *why, size_t whyn, F f) {
    try {
        f();
        return true;
    } catch (QPDFExc &e) {
        say(why, whyn, e);
    } catch (std::exception &e) {
        say(why, whyn, e.what());
    } catch (...) {
        say(why, whyn, "libqpdf failed");
    }
    return false;
}

// A PDF ends with %%EOF (and an end of line or a little junk): a copy cut
// short is refused even where every object it needs is still whole.
bool ends_whole(const unsigned char *b, size_t n) {
    size_t from = n > 1024 ? n - 1024 : 0;
    for (size_t i = n >= 5 ? n - 5 + 1 : 0; i-- > from;)
        if (std::memcmp(b + i, "%%EOF", 5) == 0) return true;
    return false;
}

// ---- what is refused before libqpdf decodes it ----
// libqpdf 11.3 sizes a predictor's row buffers from /Columns and /Colors
// before it decodes a byte (up to 4 GB for a few digits changed in a real
// file's cross-reference stream), and decodes cross-reference and object
// streams whole into memory as it reads the file, where no limit of ours
// applies.  So the bytes are scanned first for what no real PDF has:
// parameters wider than any image, and a stream compressed twice over (a
// zip bomb's multiplier: each Flate layer can grow its input a thousand
// times).  A stream's dictionary is never inside an object stream, so the
// scan sees every direct value; indirect ones are checked as each stream
// is decoded (decoded_size), object streams right after the file is read.
constexpr long long kMaxColumns = 1 << 17; // pixels a row: no scan is wider
constexpr long long kMaxColors = 32;       // PDF's most colorants (DeviceN)

bool pdf_space(unsigned char c) {
    return c == 0 || c == '\t' || c == '\n' || c == '\f' || c == '\r' || c == ' ';
}

bool pdf_regular(unsigned char c) {
    return !pdf_space(c) && !std::strchr("()<>[]{}/%", c);
}

int hex_value(unsigned char c) {
    return c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10
         : c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
}

void skip_space(const unsigned char *b, size_t n, size_t &i) {
    while (i < n) {
        if (pdf_space(b[i])) {
            i++;
        } else if (b[i] == '%') {
            while (i < n && b[i] != '\n' && b[i] != '\r') i++;
        } else {
            break;
        }
    }
}

// The name starting at b[i] (after its '/') with its #xx escapes decoded,
// so /Col#75mns is /Columns as libqpdf reads it; "" when longer than any
// name looked for.  i is left after it.
std::string name_at(const unsigned char *b, size_t n, size_t &i) {
    std::string out;
    bool long_name = false;
    while (i < n && pdf_regular(b[i])) {
        unsigned char c = b[i++];
        if (c == '#' && i + 1 < n && hex_value(b[i]) >= 0 && hex_value(b[i + 1]) >= 0) {
            c = static_cast<unsigned char>(hex_value(b[i]) * 16 + hex_value(b[i + 1]));
            i += 2;
        }
        if (out.size() < 24) out.push_back(static_cast<char>(c));
        else long_name = true;
    }
    return long_name ? std::string() : out;
}

// A direct integer at b[i] (after space): false when there is none, or
// when it begins an indirect reference "N G R".
bool integer_at(const unsigned char *b, size_t n, size_t i, long long &v) {
    skip_space(b, n, i);
    bool minus = i < n && b[i] == '-';
    if (i < n && (b[i] == '-' || b[i] == '+')) i++;
    size_t from = i;
    v = 0;
    for (; i < n && b[i] >= '0' && b[i] <= '9'; i++)
        if (v < (1LL << 50)) v = v * 10 + (b[i] - '0');
    if (i == from) return false;
    if (minus) v = -v;
    size_t j = i;
    skip_space(b, n, j);
    size_t g = j;
    while (j < n && b[j] >= '0' && b[j] <= '9') j++;
    if (j == g) return true;
    skip_space(b, n, j);
    return !(j < n && b[j] == 'R' && (j + 1 == n || !pdf_regular(b[j + 1])));
}

bool compressing(std::string const &f) {
    return f == "FlateDecode" || f == "Fl" || f == "LZWDecode" || f == "LZW" ||
           f == "RunLengthDecode" || f == "RL";
}

// Why the bytes are refused before libqpdf reads them, "" when they are not.
std::string refused_bytes(const unsigned char *b, size_t n) {
    for (size_t i = 0; i < n; i++) {
        const void *slash = std::memchr(b + i, '/', n - i);
        if (!slash) break;
        size_t at = static_cast<size_t>(static_cast<const unsigned char *>(slash) - b);
        i = at + 1;
        std::string k = name_at(b, n, i);
        long long v;
        if ((k == "Columns" && integer_at(b, n, i, v) && (v < 0 || v > kMaxColumns)) ||
            (k == "Colors" && integer_at(b, n, i, v) && (v < 0 || v > kMaxColors)))
            return "a stream's decoding parameters give /" + k + " " + std::to_string(v) +
                   " (at byte " + std::to_string(at) + "), more than any image has (" +
                   std::to_string(k == "Columns" ? kMaxColumns : kMaxColors) + ")";
        if (k != "Filter") continue;
        skip_space(b, n, i);
        if (i >= n || b[i] != '[') continue;
        std::string first;
        for (int items = 0; items < 64; items++) {
            skip_space(b, n, ++i);
            if (i >= n || b[i] != '/') break;
            ++i;
            std::string f = name_at(b, n, i);
            if (!compressing(f)) continue;
            if (!first.empty())
                return "a stream is compressed twice over (/" + first + " then /" + f +
                       ", at byte " + std::to_string(at) +
                       "), as decompression bombs are; no PDF writer needs it";
            first = f;
        }
    }
    return std::string();
}

// Counts what passes, stopping at max.
class counter : public Pipeline {
  public:
    explicit counter(size_t max) : Pipeline("quorum counter", nullptr), max_(max) {}
    void write(unsigned char const *, size_t n) override {
        if (over || n > max_ - count) {
            over = true;
            throw too_big();
        }
        count += n;
    }
    void finish() override {}
    size_t count = 0;
    bool over = false;

  private:
    size_t max_;
};

void check_parms(QPDFObjectHandle d) {
    if (!d.isDictionary()) return;
    for (auto k : {std::make_pair("/Columns", kMaxColumns), std::make_pair("/Colors", kMaxColors)}) {
        QPDFObjectHandle v = d.getKey(k.first);
        if (v.isInteger() && (v.getIntValue() < 0 || v.getIntValue() > k.second))
            throw std::runtime_error(std::string("a stream's decoding parameters give ") +
                                     k.first + " " + std::to_string(v.getIntValue()) +
                                     ", more than any image has (" +
                                     std::to_string(k.second) + ")");
    }
}

// True when v, or what it holds directly, refers to an object kept in an
// object stream (xref: the file's table).
bool refers_into_objstm(QPDFObjectHandle v, std::map<QPDFObjGen, QPDFXRefEntry> const &xref,
                        int depth = 0) {
    if (v.isIndirect()) {
        auto e = xref.find(v.getObjGen());
        return e != xref.end() && e->second.getType() == 2;
    }
    if (depth > 2) return false;
    if (v.isArray())
        for (auto &i : v.aitems())
            if (refers_into_objstm(i, xref, depth + 1)) return true;
    if (v.isDictionary())
        for (auto &i : v.ditems())
            if (refers_into_objstm(i.second, xref, depth + 1)) return true;
    return false;
}

} // namespace

size_t qpdfin_cc::decoded_size(QPDFObjectHandle s, size_t max) {
    QPDFObjectHandle p = s.getDict().getKey("/DecodeParms");
    if (p.isArray())
        for (auto &d : p.aitems()) check_parms(d);
    else
        check_parms(p);
    counter c(max);
    bool filtered = false;
    try {
        s.pipeStreamData(&c, &filtered, 0, qpdf_dl_specialized, true);
    } catch (too_big &) {
    }
    // the flag, not the exception: libqpdf may have turned it into a warning
    if (c.over)
        throw std::runtime_error("a stream decodes to more than " + std::to_string(max) +
                                 " bytes, out of all proportion to the file");
    return c.count;
}

void qpdfin_cc::open_bounded(QPDF &pdf, char const *name, const unsigned char *b, size_t n) {
    std::string why = refused_bytes(b, n);
    if (!why.empty()) throw std::runtime_error(why);
    pdf.setSuppressWarnings(true);
    // a damaged file is refused, not repaired: what a repair guesses (a
    // truncated stream, a rebuilt xref) is not what was archived
    pdf.setAttemptRecovery(false);
    pdf.processMemoryFile(name, reinterpret_cast<char const *>(b), n);
    // each object stream counted before libqpdf decodes it whole for the
    // first object wanted from it
    std::map<QPDFObjGen, QPDFXRefEntry> xref = pdf.getXRefTable();
    std::unordered_set<int> done;
    size_t budget = decode_budget(n);
    for (auto &e : xref) {
        if (e.second.getType() != 2 || !done.insert(e.second.getObjStreamNumber()).second)
            continue;
        auto o = xref.find(QPDFObjGen(e.second.getObjStreamNumber(), 0));
        if (o == xref.end() || o->second.getType() != 1) continue; // libqpdf refuses it
        QPDFObjectHandle s = pdf.getObjectByID(o->first.getObj(), 0);
        if (!s.isStream()) continue;
        QPDFObjectHandle d = s.getDict();
        if (refers_into_objstm(d.getKey("/Filter"), xref) ||
            refers_into_objstm(d.getKey("/DecodeParms"), xref))
            throw std::runtime_error("an object stream's filters are kept in an object "
                                     "stream, to be decoded before they can be checked");
        budget -= decoded_size(s, budget);
    }
}

extern "C" qpdfin *qpdfin_open(const unsigned char *b, size_t n, char *why,
                               size_t whyn) {
    if (!ends_whole(b, n)) {
        say(why, whyn, "it does not end with %%EOF (a copy cut short?)");
        return nullptr;
    }
    qpdfin *q = new (std::nothrow) qpdfin;
    if (!q) {
        say(why, whyn, "out of memory");
        return nullptr;
    }
    bool ok = guarded(why, whyn, [&] { qpdfin_cc::open_bounded(q->pdf, "PDF", b, n); });
    if (ok) return q;
    delete q;
    return nullptr;
}

extern "C" void qpdfin_close(qpdfin *q) { delete q; }

extern "C" void qpdfin_version(char *buf, size_t n) {
    try {
        std::snprintf(buf, n, "libqpdf %s", QPDF::QPDFVersion().c_str());
    } catch (...) {
        std::snprintf(buf, n, "libqpdf");
    }
}

extern "C" long qpdfin_find_files(qpdfin *q, char *why, size_t whyn) {
    bool ok = guarded(why, whyn, [&] {
        QPDFObjectHandle root = q->pdf.getRoot();
        QPDFObjectHandle names = root.getKey("/Names");
        if (names.isDictionary())
            walk(q, names.getKey("/EmbeddedFiles"),
                 [q](QPDFObjectHandle node, bool) { take_names(q, node); });
        take_af(q, root.getKey("/AF"));
        // the page tree walked directly, not by libqpdf's getAllPages, which
        // repairs a tree that reuses nodes by copying pages
        walk(q, root.getKey("/Pages"), [q](QPDFObjectHandle node, bool leaf) {
            if (leaf) take_page(q, node);
        });
    });
    return ok ? static_cast<long>(q->files.size()) : -1;
}

extern "C" const char *qpdfin_file_name(const qpdfin *q, size_t i, size_t *len) {
    *len = q->files[i].name.size();
    return q->files[i].name.c_str();
}

extern "C" int qpdfin_file_data(qpdfin *q, size_t i, size_t max,
                                unsigned char **out, size_t *len, int *has_sum,
                                unsigned char sum[16], char *why, size_t whyn) {
    *out = nullptr;
    *len = 0;
    *has_sum = 0;
    capped pipe(max);
    try {
        QPDFObjectHandle s = q->files[i].stream;
        QPDFObjectHandle params = s.getDict().getKey("/Params");
        long long size = -1;
        if (params.isDictionary() && params.getKey("/Size").isInteger())
            size = params.getKey("/Size").getIntValue();
        if (params.isDictionary()) {
            QPDFObjectHandle cs = params.getKey("/CheckSum");
            if (cs.isString()) {
                std::string v = cs.getStringValue();
                if (v.size() != 16) {
                    say(why, whyn, "its /CheckSum is not an MD5 sum");
                    return -1;
                }
                std::memcpy(sum, v.data(), 16);
                *has_sum = 1;
            }
        }
        bool filtered = false;
        bool ok = s.pipeStreamData(&pipe, &filtered, 0, qpdf_dl_specialized, true);
        if (pipe.over) return 1;
        if (!ok) {
            say(why, whyn, "its data cannot be decoded");
            return -1;
        }
        if (size >= 0 && static_cast<unsigned long long>(size) != pipe.data.size()) {
            say(why, whyn, "its data is not of the size its /Params /Size gives");
            return -1;
        }
    } catch (too_big &) {
        return 1;
    } catch (QPDFExc &e) {
        if (pipe.over) return 1;
        say(why, whyn, e);
        return -1;
    } catch (std::exception &e) {
        if (pipe.over) return 1;
        say(why, whyn, e.what());
        return -1;
    } catch (...) {
        say(why, whyn, "libqpdf failed");
        return -1;
    }
    // malloc, not new: the C caller frees it
    unsigned char *b = static_cast<unsigned char *>(std::malloc(pipe.data.size() + 1));
    if (!b) {
        say(why, whyn, "out of memory");
        return -1;
    }
    std::memcpy(b, pipe.data.data(), pipe.data.size());
    *out = b;
    *len = pipe.data.size();
    return 0;
}
