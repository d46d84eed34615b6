// PDFs from elsewhere in an agenda pack (issue 15): what the pack's
// layout needs to know of one (pages, their sizes, its outline, whether it
// is tagged) and, after libharu has saved the pack, the pass that draws
// each of its pages onto the placeholder page laid out for it.  The pages
// go in as form XObjects (libqpdf's getFormXObjectForPage: the page's
// crop box and /Rotate handled once, its resources private to it, so no
// resource name of the pack's own page can clash), and their link
// annotations follow, moved by the same matrix, with destinations inside
// the document turned to the pack's pages (ARCHITECTURE.md says why).
#define POINTERHOLDER_TRANSITION 4
#include <qpdf/Buffer.hh>
#include <qpdf/QPDF.hh>
#include <qpdf/QPDFExc.hh>
#include <qpdf/QPDFMatrix.hh>
#include <qpdf/QPDFNameTreeObjectHelper.hh>
#include <qpdf/QPDFNumberTreeObjectHelper.hh>
#include <qpdf/QPDFObjectHandle.hh>
#include <qpdf/QPDFOutlineDocumentHelper.hh>
#include <qpdf/QPDFPageObjectHelper.hh>
#include <qpdf/QPDFWriter.hh>
#include <qpdf/QUtil.hh>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <map>
#include <memory>
#include <new>
#include <stdexcept>
#include <string>
#include <unordered_set>
#include <vector>

#include "pdfin.h"

using qpdfin_cc::key;
using qpdfin_cc::source;

namespace {

void say(char *why, size_t whyn, std::string const &s) {
    if (whyn) std::snprintf(why, whyn, "%s", s.c_str());
}

template <class F> bool guarded(char *why, size_t whyn, F f) {
    try {
        f();
        return true;
    } catch (QPDFExc &e) {
        if (e.getErrorCode() == qpdf_e_password)
            say(why, whyn, "it is encrypted with a password");
        else
            say(why, whyn, e.getMessageDetail());
    } catch (std::bad_alloc &) {
        say(why, whyn, "out of memory");
    } catch (std::exception &e) {
        say(why, whyn, e.what());
    } catch (...) {
        say(why, whyn, "libqpdf failed");
    }
    return false;
}



// The leaves of the page tree in order, each node visited once; a tree
// that reuses a node is refused (libqpdf's getAllPages would copy the
// pages it reaches twice, which a hostile tree makes exponential), and so
// is one with more than max pages.
std::vector<QPDFObjectHandle> pages_of(QPDF &pdf, size_t max) {
    std::vector<QPDFObjectHandle> out;
    std::unordered_set<unsigned long long> seen;
    std::vector<QPDFObjectHandle> todo{pdf.getRoot().getKey("/Pages")};
    while (!todo.empty()) {
        QPDFObjectHandle node = todo.back();
        todo.pop_back();
        if (!node.isDictionary()) throw std::runtime_error("its page tree is damaged");
        if (node.isIndirect() && !seen.insert(key(node)).second)
            throw std::runtime_error("its page tree uses a node twice");
        QPDFObjectHandle kids = node.getKey("/Kids");
        if (!kids.isArray()) {
            if (out.size() == max)
                throw std::length_error("it has more than " + std::to_string(max) +
                                        " pages (the limit)");
            out.push_back(node);
            continue;
        }
        for (int i = kids.getArrayNItems(); i-- > 0;) todo.push_back(kids.getArrayItem(i));
    }
    return out;
}

// A box entry as a rectangle, inherited through /Parent as PDF allows.
bool box_of(QPDFObjectHandle page, char const *name, QPDFObjectHandle::Rectangle &r) {
    QPDFObjectHandle b = QPDFPageObjectHelper(page).getAttribute(name, false);
    if (!b.isRectangle()) return false;
    r = b.getArrayAsRectangle();
    return r.urx - r.llx > 0 && r.ury - r.lly > 0;
}

// The page as a viewer shows it: the crop box (else the media box),
// turned by /Rotate.
void shown_size(QPDFObjectHandle page, float &w, float &h) {
    QPDFObjectHandle::Rectangle r;
    if (!box_of(page, "/CropBox", r) && !box_of(page, "/MediaBox", r))
        throw std::runtime_error("a page has no media box");
    double bw = r.urx - r.llx, bh = r.ury - r.lly;
    if (bw > 14400 || bh > 14400 || bw < 3 || bh < 3)
        throw std::runtime_error("a page is " + std::to_string(static_cast<long>(bw)) + " by " +
                                 std::to_string(static_cast<long>(bh)) +
                                 " points (PDF allows 3 to 14,400)");
    QPDFObjectHandle rot = QPDFPageObjectHelper(page).getAttribute("/Rotate", false);
    long turn = rot.isInteger() ? ((rot.getIntValue() % 360) + 360) % 360 : 0;
    bool across = turn == 90 || turn == 270;
    w = static_cast<float>(across ? bh : bw);
    h = static_cast<float>(across ? bw : bh);
}

char *dup(std::string const &s) {
    char *p = static_cast<char *>(std::malloc(s.size() + 1));
    if (!p) throw std::bad_alloc();
    std::memcpy(p, s.c_str(), s.size() + 1);
    return p;
}

// The outline, depth first, each node once (an outline that loops is
// read up to the loop), as (title, level, page index).
void read_outline(std::vector<QPDFOutlineObjectHelper> kids, int level,
                  std::map<unsigned long long, long> const &page_at,
                  std::unordered_set<unsigned long long> &seen,
                  std::vector<qpdfin_outline> &out, size_t max) {
    for (auto &o : kids) {
        QPDFObjectHandle h = o.getObjectHandle();
        if (h.isIndirect() && !seen.insert(key(h)).second) continue;
        if (out.size() >= max) return;
        QPDFObjectHandle pg = o.getDestPage();
        auto at = pg.isIndirect() ? page_at.find(key(pg)) : page_at.end();
        qpdfin_outline e = {nullptr, level, at == page_at.end() ? -1L : at->second};
        e.title = dup(o.getTitle());
        out.push_back(e);
        if (level < 8) read_outline(o.getKids(), level + 1, page_at, seen, out, max);
    }
}

// The catalog's XMP packet, read up to 1 MiB ("" when there is none or
// it is larger).
std::string xmp_of(QPDFObjectHandle root) {
    QPDFObjectHandle m = root.getKey("/Metadata");
    if (!m.isStream() || m.getDict().getKey("/Length").isInteger() == false ||
        m.getDict().getKey("/Length").getIntValue() > (1 << 20))
        return std::string();
    try {
        qpdfin_cc::decoded_size(m, 1 << 20);
    } catch (std::runtime_error &) {
        return std::string();
    }
    std::shared_ptr<Buffer> b = m.getStreamData(qpdf_dl_generalized);
    return std::string(reinterpret_cast<char const *>(b->getBuffer()), b->getSize());
}

// The PDF/A part an XMP packet claims (pdfaid:part as an attribute or an
// element), 0 when it claims none.
int pdfa_part(std::string const &x) {
    for (char const *k : {"pdfaid:part=\"", "pdfaid:part='", "<pdfaid:part>"}) {
        size_t at = x.find(k);
        if (at == std::string::npos) continue;
        at += std::strlen(k);
        if (at < x.size() && x[at] >= '1' && x[at] <= '4') return x[at] - '0';
    }
    return 0;
}

// The length of the UTF-8 sequence at s[i] (n bytes left), 0 when it is
// not one (overlong forms, surrogates and values past U+10FFFF included).
size_t utf8_len(unsigned char const *s, size_t n) {
    unsigned c = s[0];
    size_t len = c < 0x80 ? 1 : c >= 0xC2 && c < 0xE0 ? 2 : c >= 0xE0 && c < 0xF0 ? 3
               : c >= 0xF0 && c < 0xF5 ? 4 : 0;
    if (len == 0 || len > n) return 0;
    for (size_t k = 1; k < len; k++)
        if ((s[k] & 0xC0) != 0x80) return 0;
    if ((c == 0xE0 && s[1] < 0xA0) || (c == 0xED && s[1] >= 0xA0) ||
        (c == 0xF0 && s[1] < 0x90) || (c == 0xF4 && s[1] >= 0x90))
        return 0;
    return len;
}

// XML text as it reads: the five named entities and character references
// replaced (one that is not a character is left as written), runs of
// white space and control characters one space, trimmed; "" when the
// text is not UTF-8.
std::string xml_text(std::string const &raw) {
    static const std::pair<char const *, char const *> named[] = {
        {"&amp;", "&"}, {"&lt;", "<"}, {"&gt;", ">"}, {"&quot;", "\""}, {"&apos;", "'"}};
    std::string out;
    auto const *b = reinterpret_cast<unsigned char const *>(raw.data());
    for (size_t i = 0; i < raw.size();) {
        size_t semi = raw[i] == '&' ? raw.find(';', i) : std::string::npos;
        std::string ref = semi != std::string::npos && semi - i < 12 ? raw.substr(i, semi - i + 1)
                                                                      : std::string();
        bool done = false;
        for (auto &e : named)
            if (ref == e.first) {
                out += e.second;
                done = true;
            }
        unsigned long cp = 0;
        if (!done && ref.size() > 3 && ref[1] == '#') {
            char *end = nullptr;
            cp = ref[2] == 'x' ? std::strtoul(ref.c_str() + 3, &end, 16)
                               : std::strtoul(ref.c_str() + 2, &end, 10);
            done = end && *end == ';' && cp >= 0x20 && cp <= 0x10FFFF &&
                   !(cp >= 0xD800 && cp < 0xE000);
            if (done) out += QUtil::toUTF8(cp);
        }
        if (done) {
            i = semi + 1;
            continue;
        }
        size_t len = utf8_len(b + i, raw.size() - i);
        if (!len) return std::string();
        if (b[i] < 0x20 || b[i] == 0x7F) {
            if (!out.empty() && out.back() != ' ') out += ' ';
        } else if (b[i] == ' ') {
            if (!out.empty() && out.back() != ' ') out += ' ';
        } else {
            out.append(raw, i, len);
        }
        i += len;
    }
    while (!out.empty() && out.back() == ' ') out.pop_back();
    return out;
}

// An XMP packet's dc:title (its x-default alternative, else the first),
// "" when there is none.
std::string xmp_title(std::string const &x) {
    size_t t = x.find("<dc:title");
    size_t end = t == std::string::npos ? t : x.find("</dc:title>", t);
    if (end == std::string::npos) return std::string();
    std::string alt = x.substr(t, end - t);
    size_t li = alt.find("xml:lang=\"x-default\"");
    li = alt.rfind("<rdf:li", li == std::string::npos ? alt.find("<rdf:li") : li);
    size_t open = li == std::string::npos ? li : alt.find('>', li);
    size_t close = open == std::string::npos ? open : alt.find("</rdf:li>", open);
    if (close == std::string::npos || alt[open - 1] == '/') return std::string();
    return xml_text(alt.substr(open + 1, close - open - 1));
}

// What a page draws, as a box in default user space: paths as they are
// painted, images and form XObjects by their unit square and /BBox, text
// from its position with room for the glyphs (an estimate: the fonts are
// not read), a shading or anything unread as the whole page.  Only the
// box's top and bottom are used (the bands run across the page), so an
// estimate that errs wide costs a shrink, never a covered line.
// A bounding box grown point by point; empty until the first.
struct Box {
    bool any = false;
    double x0 = 0, y0 = 0, x1 = 0, y1 = 0;
    void add(double x, double y) {
        if (!any) {
            x0 = x1 = x;
            y0 = y1 = y;
            any = true;
        }
        x0 = std::min(x0, x); x1 = std::max(x1, x);
        y0 = std::min(y0, y); y1 = std::max(y1, y);
    }
};

class Extent : public QPDFObjectHandle::ParserCallbacks {
  public:
    explicit Extent(QPDFObjectHandle res) : res_(res) {}
    Box box;          // what the page paints
    bool all = false; // or the whole page
    void handleObject(QPDFObjectHandle o) override {
        if (++ops_ > kMaxOps) { // a huge page: say all, stop reading
            all = true;
            terminateParsing();
        }
        if (o.isInlineImage()) {
            unit_square();
            args_.clear();
            return;
        }
        if (!o.isOperator()) {
            if (args_.size() < 16) args_.push_back(o);
            return;
        }
        op(o.getOperatorValue());
        args_.clear();
    }
    void handleEOF() override {}

  private:
    static const size_t kMaxOps = 4000000;
    QPDFObjectHandle res_;
    std::vector<QPDFObjectHandle> args_;
    std::vector<QPDFMatrix> saved_;
    QPDFMatrix ctm_, tm_, tlm_;
    double size_ = 12, lead_ = 0, rise_ = 0;
    Box path_; // the path being built, painted or not
    size_t ops_ = 0;

    double num(size_t i) {
        return i < args_.size() && args_[i].isNumber() ? args_[i].getNumericValue() : 0;
    }
    void add(double x, double y) { box.add(x, y); }
    void add(QPDFMatrix const &m, double x, double y) {
        double u, v;
        m.transform(x, y, u, v);
        add(u, v);
    }
    void path_point(double x, double y) {
        double u, v;
        ctm_.transform(x, y, u, v);
        path_.add(u, v);
    }
    void unit_square() {
        for (double x : {0.0, 1.0})
            for (double y : {0.0, 1.0}) add(ctm_, x, y);
    }
    void text(double chars) {
        QPDFMatrix m = ctm_;
        m.concat(tm_);
        // below the baseline to above the ascender, along the advance
        double adv = chars * 0.6 * size_;
        for (double x : {0.0, adv})
            for (double y : {rise_ - 0.3 * size_, rise_ + 1.1 * size_}) add(m, x, y);
    }
    double shown_chars() {
        double n = 0;
        for (auto a : args_) {
            if (a.isString()) n += static_cast<double>(a.getStringValue().size());
            if (a.isArray())
                for (auto k : a.aitems())
                    if (k.isString()) n += static_cast<double>(k.getStringValue().size());
        }
        return n;
    }
    void next_line() {
        tlm_.translate(0, -lead_);
        tm_ = tlm_;
    }
    void xobject() {
        QPDFObjectHandle xo = res_.isDictionary() ? res_.getKey("/XObject") : res_;
        QPDFObjectHandle x = args_.size() == 1 && args_[0].isName() && xo.isDictionary()
                                 ? xo.getKey(args_[0].getName())
                                 : QPDFObjectHandle::newNull();
        if (!x.isStream()) return;
        QPDFObjectHandle d = x.getDict();
        if (d.getKey("/Subtype").isNameAndEquals("/Image")) return unit_square();
        QPDFObjectHandle bb = d.getKey("/BBox");
        if (!bb.isRectangle()) {
            all = true;
            return;
        }
        QPDFMatrix m = ctm_;
        QPDFObjectHandle mx = d.getKey("/Matrix");
        if (mx.isMatrix()) m.concat(QPDFMatrix(mx.getArrayAsMatrix()));
        QPDFObjectHandle::Rectangle r = bb.getArrayAsRectangle();
        for (double u : {r.llx, r.urx})
            for (double v : {r.lly, r.ury}) add(m, u, v);
    }
    void op(std::string const &o) {
        if (o == "q") {
            if (saved_.size() < 1000) saved_.push_back(ctm_);
        } else if (o == "Q") {
            if (!saved_.empty()) {
                ctm_ = saved_.back();
                saved_.pop_back();
            }
        } else if (o == "cm" && args_.size() == 6) {
            ctm_.concat(QPDFMatrix(num(0), num(1), num(2), num(3), num(4), num(5)));
        } else if (o == "m" || o == "l") {
            path_point(num(0), num(1));
        } else if (o == "c") {
            for (size_t i = 0; i < 6; i += 2) path_point(num(i), num(i + 1));
        } else if (o == "v" || o == "y") {
            for (size_t i = 0; i < 4; i += 2) path_point(num(i), num(i + 1));
        } else if (o == "re") {
            path_point(num(0), num(1));
            path_point(num(0) + num(2), num(1) + num(3));
            path_point(num(0), num(1) + num(3));
            path_point(num(0) + num(2), num(1));
        } else if (o == "S" || o == "s" || o == "f" || o == "F" || o == "f*" || o == "B" ||
                   o == "B*" || o == "b" || o == "b*") {
            if (path_.any) {
                add(path_.x0, path_.y0);
                add(path_.x1, path_.y1);
            }
            path_ = Box();
        } else if (o == "n") {
            path_ = Box(); // a clip only: nothing painted
        } else if (o == "BT") {
            tm_ = tlm_ = QPDFMatrix();
        } else if (o == "Tf" && args_.size() == 2) {
            size_ = std::fabs(num(1));
        } else if (o == "TL") {
            lead_ = num(0);
        } else if (o == "Ts") {
            rise_ = num(0);
        } else if (o == "Td" || o == "TD") {
            if (o == "TD") lead_ = -num(1);
            tlm_.translate(num(0), num(1));
            tm_ = tlm_;
        } else if (o == "Tm" && args_.size() == 6) {
            tm_ = tlm_ = QPDFMatrix(num(0), num(1), num(2), num(3), num(4), num(5));
        } else if (o == "T*") {
            next_line();
        } else if (o == "Tj" || o == "TJ" || o == "'" || o == "\"") {
            if (o != "Tj" && o != "TJ") next_line();
            text(shown_chars());
        } else if (o == "Do") {
            xobject();
        } else if (o == "sh") {
            all = true;
        }
    }
};

// How far the page's drawing stays from its top and bottom edges as
// shown (crop box, /Rotate), in points: a page whose content cannot be
// read counts as drawn to its edges.
void content_margins(QPDFObjectHandle page, float h, float &top, float &bottom) {
    top = bottom = 0;
    QPDFObjectHandle::Rectangle r;
    if (!box_of(page, "/CropBox", r) && !box_of(page, "/MediaBox", r)) return;
    QPDFPageObjectHelper ph(page);
    Extent ex(ph.getAttribute("/Resources", false));
    try {
        ph.parseContents(&ex);
    } catch (std::exception &) {
        return;
    }
    if (ex.all) return;
    if (!ex.box.any) {
        top = bottom = h / 2; // a blank page fits anywhere
        return;
    }
    QPDFObjectHandle rot = ph.getAttribute("/Rotate", false);
    long turn = rot.isInteger() ? ((rot.getIntValue() % 360) + 360) % 360 : 0;
    // the content's extent up the shown page, from its bottom edge
    double lo, hi;
    if (turn == 90) { lo = r.urx - ex.box.x1; hi = r.urx - ex.box.x0; }
    else if (turn == 180) { lo = r.ury - ex.box.y1; hi = r.ury - ex.box.y0; }
    else if (turn == 270) { lo = ex.box.x0 - r.llx; hi = ex.box.x1 - r.llx; }
    else { lo = ex.box.y0 - r.lly; hi = ex.box.y1 - r.lly; }
    top = static_cast<float>(std::max(0.0, h - hi));
    bottom = static_cast<float>(std::max(0.0, lo));
}

} // namespace

extern "C" void qpdfin_doc_free(qpdfin_doc *d) {
    if (!d) return;
    std::free(d->w);
    std::free(d->h);
    std::free(d->top);
    std::free(d->bottom);
    for (size_t i = 0; i < d->noutlines; i++) std::free(d->outlines[i].title);
    std::free(d->outlines);
    std::free(d->title);
    std::memset(d, 0, sizeof *d);
}

extern "C" int qpdfin_inspect(const unsigned char *b, size_t n, size_t max_pages,
                              size_t max_objects, qpdfin_doc *out, char *why,
                              size_t whyn) {
    std::memset(out, 0, sizeof *out);
    qpdfin *opened = qpdfin_open(b, n, why, whyn);
    if (!opened) return -1;
    qpdfin_close(opened); // the checks qpdfin_open makes, said its way
    std::vector<qpdfin_outline> outl;
    bool ok = guarded(why, whyn, [&] {
        QPDF pdf;
        qpdfin_cc::open_bounded(pdf, "PDF", b, n);
        if (pdf.isEncrypted()) throw std::runtime_error("it is encrypted");
        if (pdf.getObjectCount() > max_objects)
            throw std::length_error("it has " + std::to_string(pdf.getObjectCount()) +
                                    " objects, more than the limit of " +
                                    std::to_string(max_objects));
        std::vector<QPDFObjectHandle> pages = pages_of(pdf, max_pages);
        if (pages.empty()) throw std::runtime_error("it has no pages");
        out->w = static_cast<float *>(std::calloc(pages.size(), sizeof(float)));
        out->h = static_cast<float *>(std::calloc(pages.size(), sizeof(float)));
        out->top = static_cast<float *>(std::calloc(pages.size(), sizeof(float)));
        out->bottom = static_cast<float *>(std::calloc(pages.size(), sizeof(float)));
        if (!out->w || !out->h || !out->top || !out->bottom) throw std::bad_alloc();
        out->npages = pages.size();
        // what content_margins and the placing pass decode, counted first:
        // each page's streams every time, as each page reads them
        size_t budget = qpdfin_cc::decode_budget(n);
        for (auto &pg : pages)
            for (auto &c : QPDFPageObjectHelper(pg).getPageContents())
                budget -= qpdfin_cc::decoded_size(c, budget);
        std::map<unsigned long long, long> page_at;
        for (size_t i = 0; i < pages.size(); i++) {
            shown_size(pages[i], out->w[i], out->h[i]);
            content_margins(pages[i], out->h[i], out->top[i], out->bottom[i]);
            if (pages[i].isIndirect()) page_at[key(pages[i])] = static_cast<long>(i);
        }
        QPDFObjectHandle root = pdf.getRoot();
        QPDFObjectHandle mark = root.getKey("/MarkInfo");
        out->tagged = root.getKey("/StructTreeRoot").isDictionary() && mark.isDictionary() &&
                      mark.getKey("/Marked").isBool() && mark.getKey("/Marked").getBoolValue();
        // its title: the document information's, else its XMP's
        // (PDF 2.0 deprecates the former; some producers write only XMP)
        std::string xmp = xmp_of(root);
        QPDFObjectHandle t = pdf.getTrailer().getKey("/Info");
        std::string title = t.isDictionary() && t.getKey("/Title").isString()
                                ? t.getKey("/Title").getUTF8Value()
                                : std::string();
        if (title.empty()) title = xmp_title(xmp);
        if (!title.empty()) out->title = dup(title);
        out->pdfa_part = pdfa_part(xmp);
        QPDFOutlineDocumentHelper odh(pdf);
        std::unordered_set<unsigned long long> seen;
        read_outline(odh.getTopLevelOutlines(), 1, page_at, seen, outl, 4 * max_pages + 64);
    });
    out->outlines = static_cast<qpdfin_outline *>(
        std::calloc(outl.size() ? outl.size() : 1, sizeof(qpdfin_outline)));
    if (out->outlines) {
        if (!outl.empty()) // data() may be NULL when empty
            std::memcpy(out->outlines, outl.data(), outl.size() * sizeof(qpdfin_outline));
        out->noutlines = outl.size();
    } else {
        for (auto &o : outl) std::free(o.title);
        say(why, whyn, "out of memory");
        ok = false;
    }
    if (!ok) qpdfin_doc_free(out);
    return ok ? 0 : -1;
}

namespace {

// The pack's page a destination of the source points at, or null when it
// points at no page of the source that is in the pack (such a link is
// dropped rather than left pointing into nothing).
QPDFObjectHandle dest_page(source &s, QPDFObjectHandle d) {
    if (d.isName() || d.isString()) {
        // a named destination: looked up in the source, not in the pack
        QPDFObjectHandle root = s.pdf->getRoot(), found;
        QPDFObjectHandle names = root.getKey("/Names");
        if (d.isString() && names.isDictionary() && names.getKey("/Dests").isDictionary()) {
            QPDFNameTreeObjectHelper tree(names.getKey("/Dests"), *s.pdf);
            tree.findObject(d.getUTF8Value(), found);
        } else if (d.isName() && root.getKey("/Dests").isDictionary()) {
            found = root.getKey("/Dests").getKey(d.getName());
        }
        d = found;
        if (d.isDictionary()) d = d.getKey("/D");
    }
    if (!d.isArray() || d.getArrayNItems() < 1) return QPDFObjectHandle::newNull();
    QPDFObjectHandle pg = d.getArrayItem(0);
    auto at = pg.isIndirect() ? s.page_at.find(key(pg)) : s.page_at.end();
    if (at == s.page_at.end()) return QPDFObjectHandle::newNull();
    return s.target[at->second];
}

// The source page's annotations that are links, moved by cm onto the
// pack's page: a URI link as it is, an internal one to the pack's page.
// Others (form fields, comments) are not carried: their appearance is
// the source's business and a field would need the pack's AcroForm.
void move_links(QPDF &pack, source &s, QPDFObjectHandle from, QPDFObjectHandle to,
                QPDFMatrix const &cm) {
    QPDFObjectHandle annots = from.getKey("/Annots");
    if (!annots.isArray()) return;
    QPDFObjectHandle mine = to.getKey("/Annots");
    if (!mine.isArray()) {
        mine = QPDFObjectHandle::newArray();
        to.replaceKey("/Annots", mine);
    }
    for (auto a : annots.aitems()) {
        if (!a.isDictionary() || !a.getKey("/Subtype").isNameAndEquals("/Link")) continue;
        QPDFObjectHandle r = a.getKey("/Rect");
        if (!r.isRectangle()) continue;
        QPDFObjectHandle::Rectangle box = cm.transformRectangle(r.getArrayAsRectangle());
        QPDFObjectHandle link = QPDFObjectHandle::newDictionary();
        link.replaceKey("/Type", QPDFObjectHandle::newName("/Annot"));
        link.replaceKey("/Subtype", QPDFObjectHandle::newName("/Link"));
        link.replaceKey("/Rect", QPDFObjectHandle::newFromRectangle(box));
        link.replaceKey("/Border", QPDFObjectHandle::parse("[0 0 0]"));
        link.replaceKey("/F", QPDFObjectHandle::newInteger(4)); // print
        QPDFObjectHandle act = a.getKey("/A");
        QPDFObjectHandle dest = a.getKey("/Dest");
        if (act.isDictionary() && act.getKey("/S").isNameAndEquals("/URI") &&
            act.getKey("/URI").isString()) {
            QPDFObjectHandle u = QPDFObjectHandle::newDictionary();
            u.replaceKey("/S", QPDFObjectHandle::newName("/URI"));
            u.replaceKey("/URI", QPDFObjectHandle::newString(act.getKey("/URI").getStringValue()));
            link.replaceKey("/A", u);
        } else {
            if (act.isDictionary() && act.getKey("/S").isNameAndEquals("/GoTo"))
                dest = act.getKey("/D");
            QPDFObjectHandle pg = dest_page(s, dest);
            if (pg.isNull()) continue;
            // the source's view (/XYZ left top zoom) has coordinates that
            // do not fit the moved page: the link shows the whole page
            QPDFObjectHandle d = QPDFObjectHandle::newArray();
            d.appendItem(pg);
            d.appendItem(QPDFObjectHandle::newName("/Fit"));
            link.replaceKey("/Dest", d);
        }
        if (a.getKey("/Contents").isString())
            link.replaceKey("/Contents",
                            QPDFObjectHandle::newUnicodeString(a.getKey("/Contents").getUTF8Value()));
        if (!link.getKey("/Contents").isString()) // a link says where it goes (PDF/UA)
            link.replaceKey("/Contents", QPDFObjectHandle::newUnicodeString(
                                             act.isDictionary() && act.getKey("/URI").isString()
                                                 ? act.getKey("/URI").getUTF8Value()
                                                 : "Link to another page of this document"));
        QPDFObjectHandle made = pack.makeIndirectObject(link);
        mine.appendItem(made);
        if (a.isIndirect()) s.link_at[key(a)] = s.links.size();
        s.links.push_back({a, made, to, false});
        to.replaceKey("/Tabs", QPDFObjectHandle::newName("/S")); // in structure order
    }
}

} // namespace

extern "C" int qpdfin_place(const unsigned char *in, size_t n, const qpdfin_placement *pl,
                            size_t np, unsigned char **out, size_t *outlen, char *why,
                            size_t whyn) {
    *out = nullptr;
    *outlen = 0;
    std::shared_ptr<Buffer> buf;
    bool ok = guarded(why, whyn, [&] {
        QPDF pack;
        // the pack libharu just made: no bytes from elsewhere
        pack.setSuppressWarnings(true);
        pack.setAttemptRecovery(false);
        pack.processMemoryFile("pack", reinterpret_cast<char const *>(in), n);
        std::vector<QPDFObjectHandle> mine = pages_of(pack, SIZE_MAX);
        // each use of a PDF opened once (its placements come together, its
        // pages in order): a PDF used twice (one appendix of two reports)
        // is two sources, each with its own pages, forms and tree; in
        // placement order, so that the pack's bytes do not depend on where
        // the PDFs are in memory
        std::vector<source> srcs;
        std::vector<size_t> use(np);
        std::map<const unsigned char *, std::pair<size_t, size_t>> last; // use, page
        for (size_t i = 0; i < np; i++) {
            auto at = last.find(pl[i].src);
            if (at == last.end() || pl[i].page <= at->second.second) {
                srcs.emplace_back();
                at = last.insert_or_assign(pl[i].src, std::make_pair(srcs.size() - 1, 0)).first;
            }
            at->second.second = pl[i].page;
            use[i] = at->second.first;
            source &s = srcs[use[i]];
            if (!s.pdf) {
                s.pdf = std::make_unique<QPDF>();
                qpdfin_cc::open_bounded(*s.pdf, "included", pl[i].src, pl[i].srclen);
                s.pages = pages_of(*s.pdf, SIZE_MAX);
                s.target.assign(s.pages.size(), QPDFObjectHandle::newNull());
                s.form.assign(s.pages.size(), QPDFObjectHandle::newNull());
                for (size_t k = 0; k < s.pages.size(); k++)
                    if (s.pages[k].isIndirect()) s.page_at[key(s.pages[k])] = k;
            }
            if (pl[i].page >= s.pages.size() || pl[i].target >= mine.size())
                throw std::logic_error("a placement names a page that is not there");
            s.target[pl[i].page] = mine[pl[i].target];
            if (pl[i].target < s.first_target) s.first_target = pl[i].target;
        }
        for (size_t i = 0; i < np; i++) {
            source &s = srcs[use[i]];
            QPDFObjectHandle from = s.pages[pl[i].page];
            QPDFPageObjectHelper to(mine[pl[i].target]);
            QPDFObjectHandle fo =
                pack.copyForeignObject(QPDFPageObjectHelper(from).getFormXObjectForPage(true));
            // the page's own resources and XObjects, copied: libharu may
            // share one dictionary between pages
            QPDFObjectHandle res = to.getObjectHandle().getKey("/Resources");
            res = res.isDictionary() ? res.shallowCopy() : QPDFObjectHandle::newDictionary();
            to.getObjectHandle().replaceKey("/Resources", res);
            QPDFObjectHandle xo = res.getKey("/XObject");
            xo = xo.isDictionary() ? xo.shallowCopy() : QPDFObjectHandle::newDictionary();
            res.replaceKey("/XObject", xo);
            int suffix = 0;
            std::string name = res.getUniqueResourceName("/QuorumPage", suffix);
            xo.replaceKey(name, fo);
            s.form[pl[i].page] = fo;
            QPDFMatrix cm;
            QPDFObjectHandle::Rectangle box(pl[i].x0, pl[i].y0, pl[i].x1, pl[i].y1);
            std::string place = to.placeFormXObject(fo, name, box, cm, true, true, false);
            // under the pack's own drawing (the stamps in the bands)
            to.addPageContents(pack.newStream(place), true);
            move_links(pack, s, from, to.getObjectHandle(), cm);
        }
        for (auto &s : srcs) qpdfin_cc::join_structure(pack, s, mine);
        QPDFWriter w(pack);
        w.setOutputMemory();
        // the same inputs give the same bytes: no random /ID, no
        // compression of what libharu left as it is (an archive copy's
        // attachments stay readable), a classic cross-reference table
        w.setDeterministicID(true);
        w.setStreamDataMode(qpdf_s_preserve);
        w.setObjectStreamMode(qpdf_o_disable);
        // PDF/A: an end of line before every endstream
        w.setNewlineBeforeEndstream(true);
        w.write();
        buf = w.getBufferSharedPointer();
    });
    if (!ok) return -1;
    unsigned char *b = static_cast<unsigned char *>(std::malloc(buf->getSize() ? buf->getSize() : 1));
    if (!b) {
        say(why, whyn, "out of memory");
        return -1;
    }
    std::memcpy(b, buf->getBuffer(), buf->getSize());
    *out = b;
    *outlen = buf->getSize();
    return 0;
}
