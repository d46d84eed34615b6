// A PDF from elsewhere joins the pack's structure tree (issue 15): its
// elements go after the heading the pack printed on its first page
// ("Agenda Item 10", "Appendix 2"), its headings one level below that
// heading, so that heading navigation nests as the bookmarks do (the
// PDF's own outline sits under the item's bookmark); its marked content
// is referred to where the form XObjects drawing its pages now are, its
// links are tagged, its role map merged (docs/accessibility.md, "Packs").
#define POINTERHOLDER_TRANSITION 4
#include <qpdf/QPDF.hh>
#include <qpdf/QPDFNumberTreeObjectHelper.hh>
#include <qpdf/QPDFObjectHandle.hh>

#include <algorithm>
#include <cstring>
#include <map>
#include <string>
#include <unordered_set>
#include <vector>

#include "pdfin.h"

namespace qpdfin_cc {

namespace {

// The kids of a structure element or of the tree root as a list (/K is
// an array, one kid, or absent).
std::vector<QPDFObjectHandle> kids_of(QPDFObjectHandle k) {
    std::vector<QPDFObjectHandle> v;
    if (k.isArray())
        for (auto x : k.aitems()) v.push_back(x);
    else if (!k.isNull())
        v.push_back(k);
    return v;
}

// The parent tree holds an array per page as long as its largest MCID:
// one per page is capped, and so are all together, so that MCIDs chosen
// to be large cost no more than MCIDs that count from 0.
const size_t MAX_MCID = 100000;
const size_t MAX_SLOTS = 4000000;

// One element of the source's tree and its copy in the pack, with the
// source page its content is on when it does not say.
struct elem_pair {
    QPDFObjectHandle src, copy, pg;
    int nesting; // grouping elements of the source above it (an /H's level)
};

// A kid of an element that is content (an MCID, or a marked-content
// reference) as a reference into the form XObject that now draws the
// page, noting the element as its parent; null when its page is not in
// the pack.
QPDFObjectHandle moved_content(source &s, QPDFObjectHandle kid, QPDFObjectHandle pg,
                               QPDFObjectHandle parent,
                               std::vector<std::map<long long, QPDFObjectHandle>> &parents,
                               size_t &slots) {
    long long mcid = -1;
    if (kid.isInteger()) {
        mcid = kid.getIntValue();
    } else {
        if (kid.getKey("/Pg").isDictionary()) pg = kid.getKey("/Pg");
        if (kid.getKey("/MCID").isInteger()) mcid = kid.getKey("/MCID").getIntValue();
    }
    auto at = pg.isIndirect() ? s.page_at.find(key(pg)) : s.page_at.end();
    if (mcid < 0 || static_cast<size_t>(mcid) > MAX_MCID || at == s.page_at.end() ||
        s.target[at->second].isNull())
        return QPDFObjectHandle::newNull();
    std::map<long long, QPDFObjectHandle> &pp = parents[at->second];
    long long top = pp.empty() ? -1 : pp.rbegin()->first;
    if (mcid > top) {
        if (static_cast<size_t>(mcid - top) > MAX_SLOTS - slots) return QPDFObjectHandle::newNull();
        slots += static_cast<size_t>(mcid - top);
    }
    QPDFObjectHandle mcr = QPDFObjectHandle::newDictionary();
    mcr.replaceKey("/Type", QPDFObjectHandle::newName("/MCR"));
    mcr.replaceKey("/Pg", s.target[at->second]);
    mcr.replaceKey("/Stm", s.form[at->second]);
    mcr.replaceKey("/MCID", QPDFObjectHandle::newInteger(mcid));
    pp[mcid] = parent;
    return mcr;
}

// An OBJR of the source's tree naming a link annotation that was carried
// (move_links): one naming the annotation made for it, which the element
// `parent` now holds (linked up in the parent tree by tag_links); null
// for any other object, or a link already claimed.
QPDFObjectHandle moved_link(source &s, QPDFObjectHandle obj, QPDFObjectHandle parent) {
    auto at = obj.isIndirect() ? s.link_at.find(key(obj)) : s.link_at.end();
    if (at == s.link_at.end() || s.links[at->second].tagged) return QPDFObjectHandle::newNull();
    source::link &l = s.links[at->second];
    l.tagged = true;
    l.from = parent; // from now on: its structure element
    QPDFObjectHandle r = QPDFObjectHandle::newDictionary();
    r.replaceKey("/Type", QPDFObjectHandle::newName("/OBJR"));
    r.replaceKey("/Obj", l.made);
    r.replaceKey("/Pg", l.page);
    return r;
}

// Every carried link annotation in the structure tree (PDF/UA): those the
// source's tree did not hold get a Link element of their own at the end
// of part; each annotation gets a /StructParent key naming its element.
void tag_links(QPDF &pack, source &s, QPDFObjectHandle part, long long &key_at,
               QPDFNumberTreeObjectHelper &tree) {
    QPDFObjectHandle partk = part.getKey("/K");
    for (auto &l : s.links) {
        if (!l.tagged) {
            QPDFObjectHandle e = pack.makeIndirectObject(QPDFObjectHandle::newDictionary());
            e.replaceKey("/Type", QPDFObjectHandle::newName("/StructElem"));
            e.replaceKey("/S", QPDFObjectHandle::newName("/Link"));
            e.replaceKey("/P", part);
            e.replaceKey("/Pg", l.page);
            QPDFObjectHandle r = QPDFObjectHandle::newDictionary();
            r.replaceKey("/Type", QPDFObjectHandle::newName("/OBJR"));
            r.replaceKey("/Obj", l.made);
            r.replaceKey("/Pg", l.page);
            QPDFObjectHandle k = QPDFObjectHandle::newArray();
            k.appendItem(r);
            e.replaceKey("/K", k);
            partk.appendItem(e);
            l.from = e;
            l.tagged = true;
        }
        l.made.replaceKey("/StructParent", QPDFObjectHandle::newInteger(key_at));
        tree.insert(key_at++, l.from);
    }
}

// A heading's level from its role: 1 to 6 for /H1../H6, 0 for /H (its
// level is its nesting), -1 for anything else.
int heading_level(std::string const &role) {
    if (role == "/H") return 0;
    if (role.size() == 3 && role[1] == 'H' && role[2] >= '1' && role[2] <= '6')
        return role[2] - '0';
    return -1;
}

// The standard structure types of PDF 1.7 (ISO 32000-1, 14.8.4).
bool standard(std::string const &role) {
    static const std::unordered_set<std::string> names = {
        "/Document", "/Part", "/Art", "/Sect", "/Div", "/BlockQuote", "/Caption", "/TOC",
        "/TOCI", "/Index", "/NonStruct", "/Private", "/H", "/H1", "/H2", "/H3", "/H4",
        "/H5", "/H6", "/P", "/L", "/LI", "/Lbl", "/LBody", "/Table", "/TR", "/TH", "/TD",
        "/THead", "/TBody", "/TFoot", "/Span", "/Quote", "/Note", "/Reference",
        "/BibEntry", "/Code", "/Link", "/Annot", "/Ruby", "/RB", "/RT", "/RP", "/Warichu",
        "/WT", "/WP", "/Figure", "/Formula", "/Form"};
    return names.count(role) != 0;
}

// A role of the source as the standard one its role map makes it (a few
// steps: a map that loops or runs on leaves the role as it is).
std::string standard_role(QPDFObjectHandle rolemap, std::string const &role) {
    std::string r = role;
    for (int n = 0; n < 8 && !standard(r); n++) {
        QPDFObjectHandle to = rolemap.isDictionary() ? rolemap.getKey(r)
                                                     : QPDFObjectHandle::newNull();
        if (!to.isName()) break;
        r = to.getName();
    }
    return standard(r) ? r : role;
}

// Grouping elements: an /H's level is how many of them hold it.
bool groups(std::string const &role) {
    return role == "/Part" || role == "/Art" || role == "/Sect" || role == "/Div";
}

// The copy's role: the standard one its source's role maps to, so that
// the pack's tree speaks standard types only (as quorum's own does), and
// for a heading `below` levels down (H6 stays H6: tagged PDF has no H7),
// an /H a numbered one by its nesting (PDF/UA does not mix /H with
// /H1../H6).
void set_role(QPDFObjectHandle copy, std::string const &role, int nesting, int below) {
    int level = heading_level(role);
    if (level == 0) level = std::max(nesting, 1);
    std::string r = level < 0 ? role : "/H" + std::to_string(std::min(level + below, 6));
    copy.replaceKey("/S", QPDFObjectHandle::newName(r));
}

// The heading the pack drew on page (found through the page's entry in
// the parent tree: the pack tags nothing else there), or null.
QPDFObjectHandle heading_on(QPDFObjectHandle page, QPDFNumberTreeObjectHelper &tree) {
    QPDFObjectHandle sp = page.getKey("/StructParents"), elems;
    if (!sp.isInteger() || !tree.findObject(sp.getIntValue(), elems) || !elems.isArray())
        return QPDFObjectHandle::newNull();
    for (auto e : elems.aitems())
        if (e.isDictionary() && e.getKey("/S").isName() &&
            heading_level(e.getKey("/S").getName()) > 0 && e.getKey("/P").isDictionary())
            return e;
    return QPDFObjectHandle::newNull();
}

// parent's /K as an array (it may be one kid or none), set on parent.
QPDFObjectHandle kids_array(QPDFObjectHandle parent) {
    QPDFObjectHandle k = parent.getKey("/K");
    if (k.isArray()) return k;
    QPDFObjectHandle a = QPDFObjectHandle::newArray();
    for (auto &x : kids_of(k)) a.appendItem(x);
    parent.replaceKey("/K", a);
    return a;
}

// Where the source's elements go: after the heading on its first page, in
// that heading's parent (*at: the index in its /K), the heading's level
// in *level; without one (a pack not laid out by quorum), a Part of their
// own at the end of the pack's Document, level 0.
QPDFObjectHandle place_for(QPDF &pack, source &s, std::vector<QPDFObjectHandle> const &mine,
                           QPDFObjectHandle doc, QPDFNumberTreeObjectHelper &tree, int &at,
                           int &level) {
    QPDFObjectHandle h = s.first_target < mine.size() ? heading_on(mine[s.first_target], tree)
                                                      : QPDFObjectHandle::newNull();
    if (!h.isNull()) {
        QPDFObjectHandle parent = h.getKey("/P"), k = kids_array(parent);
        for (int i = 0; i < k.getArrayNItems(); i++)
            if (k.getArrayItem(i).isIndirect() && key(k.getArrayItem(i)) == key(h)) {
                at = i + 1;
                level = heading_level(h.getKey("/S").getName());
                return parent;
            }
    }
    QPDFObjectHandle part = pack.makeIndirectObject(QPDFObjectHandle::newDictionary());
    part.replaceKey("/Type", QPDFObjectHandle::newName("/StructElem"));
    part.replaceKey("/S", QPDFObjectHandle::newName("/Part"));
    part.replaceKey("/P", doc);
    part.replaceKey("/K", QPDFObjectHandle::newArray());
    kids_array(doc).appendItem(part);
    at = 0;
    level = 0;
    return part;
}

// The source's top elements (under its Document, if it has one), copied
// into the pack as indirect objects in parent's /K from index at on, each
// with the source's /Lang unless it has its own; with their sources (the
// walk's start) in todo.
void copy_tops(QPDF &pack, source &s, QPDFObjectHandle parent, int at,
               std::vector<elem_pair> &todo) {
    QPDFObjectHandle sroot = s.pdf->getRoot();
    QPDFObjectHandle str = sroot.getKey("/StructTreeRoot");
    std::vector<QPDFObjectHandle> tops;
    if (str.isDictionary()) tops = kids_of(str.getKey("/K"));
    if (tops.size() == 1 && tops[0].isDictionary() &&
        tops[0].getKey("/S").isNameAndEquals("/Document"))
        tops = kids_of(tops[0].getKey("/K"));
    // copied as one indirect array, so that direct elements come along
    QPDFObjectHandle arr = QPDFObjectHandle::newArray();
    for (auto &t : tops)
        if (t.isDictionary()) arr.appendItem(t);
    if (arr.getArrayNItems() == 0) return;
    QPDFObjectHandle copies = pack.copyForeignObject(s.pdf->makeIndirectObject(arr));
    QPDFObjectHandle lang = sroot.getKey("/Lang");
    QPDFObjectHandle k = kids_array(parent);
    for (int i = 0; i < arr.getArrayNItems(); i++) {
        QPDFObjectHandle c = copies.getArrayItem(i);
        if (!c.isIndirect()) c = pack.makeIndirectObject(c);
        c.replaceKey("/P", parent);
        if (lang.isString() && !c.getKey("/Lang").isString())
            c.replaceKey("/Lang", QPDFObjectHandle::newUnicodeString(lang.getUTF8Value()));
        k.insertItem(at + i, c);
        todo.push_back({arr.getArrayItem(i), c, QPDFObjectHandle::newNull(), 0});
    }
}

// The role map: the source's roles the pack does not define (the pack's
// own roles win).
void merge_roles(QPDFObjectHandle proot, QPDFObjectHandle srm) {
    if (!srm.isDictionary()) return;
    QPDFObjectHandle rm = proot.getKey("/RoleMap");
    if (!rm.isDictionary()) {
        rm = QPDFObjectHandle::newDictionary();
        proot.replaceKey("/RoleMap", rm);
    }
    for (auto &r : srm.ditems())
        if (!rm.hasKey(r.first) && r.second.isName())
            rm.replaceKey(r.first, QPDFObjectHandle::newName(r.second.getName()));
}

} // namespace

// A tagged source's elements are copied after the heading on its first
// page (place_for), their headings below it; their content references
// point into the form XObjects that draw the pages now, each form with a
// /StructParents key of its own in the pack's parent tree; /ID dropped,
// so no ID of the source can clash with one of the pack.  Link
// annotations were made anew (move_links), so their object references
// are dropped; links the tree did not hold get Link elements of their own.
void join_structure(QPDF &pack, source &s, std::vector<QPDFObjectHandle> const &mine) {
    QPDFObjectHandle str = s.pdf->getRoot().getKey("/StructTreeRoot");
    QPDFObjectHandle proot = pack.getRoot().getKey("/StructTreeRoot");
    bool tagged = str.isDictionary();
    if (!proot.isDictionary() || (!tagged && s.links.empty())) return;
    std::vector<QPDFObjectHandle> pk = kids_of(proot.getKey("/K"));
    QPDFObjectHandle next = proot.getKey("/ParentTreeNextKey");
    QPDFObjectHandle ptree = proot.getKey("/ParentTree");
    if (pk.empty() || !pk[0].isDictionary() || !next.isInteger() || !ptree.isDictionary())
        return;
    QPDFNumberTreeObjectHelper tree(ptree, pack, false);
    int at = 0, level = 0;
    QPDFObjectHandle parent = place_for(pack, s, mine, pk[0], tree, at, level);
    QPDFObjectHandle srm = tagged ? str.getKey("/RoleMap") : QPDFObjectHandle::newNull();
    std::vector<elem_pair> todo;
    copy_tops(pack, s, parent, at, todo);
    std::vector<std::map<long long, QPDFObjectHandle>> parents(s.pages.size());
    std::unordered_set<unsigned long long> seen;
    size_t slots = 0;
    while (!todo.empty()) {
        elem_pair e = todo.back();
        todo.pop_back();
        if (e.src.isIndirect() && !seen.insert(key(e.src)).second) continue;
        QPDFObjectHandle pg = e.src.getKey("/Pg").isDictionary() ? e.src.getKey("/Pg") : e.pg;
        e.copy.removeKey("/ID");
        e.copy.removeKey("/Pg");
        auto on = pg.isIndirect() ? s.page_at.find(key(pg)) : s.page_at.end();
        if (on != s.page_at.end() && !s.target[on->second].isNull())
            e.copy.replaceKey("/Pg", s.target[on->second]);
        std::string role = e.src.getKey("/S").isName()
                               ? standard_role(srm, e.src.getKey("/S").getName())
                               : std::string();
        if (!role.empty()) set_role(e.copy, role, e.nesting, level);
        int nesting = e.nesting + (groups(role) ? 1 : 0);
        std::vector<QPDFObjectHandle> sk = kids_of(e.src.getKey("/K"));
        std::vector<QPDFObjectHandle> ck = kids_of(e.copy.getKey("/K"));
        QPDFObjectHandle nk = QPDFObjectHandle::newArray();
        for (size_t j = 0; j < sk.size() && j < ck.size(); j++) {
            QPDFObjectHandle k = sk[j];
            if (k.isInteger() || (k.isDictionary() && k.getKey("/Type").isNameAndEquals("/MCR"))) {
                QPDFObjectHandle m = moved_content(s, k, pg, e.copy, parents, slots);
                if (!m.isNull()) nk.appendItem(m);
            } else if (k.isDictionary() && k.getKey("/Type").isNameAndEquals("/OBJR")) {
                QPDFObjectHandle m = moved_link(s, k.getKey("/Obj"), e.copy);
                if (!m.isNull()) nk.appendItem(m);
            } else if (k.isDictionary() && k.getKey("/S").isName()) {
                QPDFObjectHandle c = ck[j].isIndirect() ? ck[j] : pack.makeIndirectObject(ck[j]);
                c.replaceKey("/P", e.copy);
                nk.appendItem(c);
                todo.push_back({k, c, pg, nesting});
            }
            // anything else (an object reference, junk) is not carried
        }
        e.copy.replaceKey("/K", nk);
    }
    // the parent tree: one key for each form XObject with content
    long long key_at = next.getIntValue();
    for (size_t i = 0; i < parents.size(); i++) {
        if (parents[i].empty()) continue;
        QPDFObjectHandle a = QPDFObjectHandle::newArray();
        for (auto &mp : parents[i]) {
            while (a.getArrayNItems() < mp.first) a.appendItem(QPDFObjectHandle::newNull());
            a.appendItem(mp.second);
        }
        s.form[i].getDict().replaceKey("/StructParents", QPDFObjectHandle::newInteger(key_at));
        tree.insert(key_at++, pack.makeIndirectObject(a));
    }
    tag_links(pack, s, parent, key_at, tree);
    proot.replaceKey("/ParentTreeNextKey", QPDFObjectHandle::newInteger(key_at));
    merge_roles(proot, srm);
}

} // namespace qpdfin_cc
