#!/usr/bin/python3
"""Tables for the loader's fast validator (load_valid.c), made at build
time from the schema compiled in (build/generated/quorum-report-1.xsd).

The fast validator may only say "valid" where libxml2's XSD validation
would; everything else goes to libxml2, whose messages are the ones
users see.  So this script translates the constructs it knows exactly,
marks an element type it can read but not check ("defer": xs:any,
identity constraints, ID types) so that a document holding such an
element goes to libxml2, and fails the build on anything else: a schema
change can never widen what the fast path accepts without this script
being taught the new construct.

usage: valid_gen.py SCHEMA.xsd OUT.inc
"""
import sys
import xml.etree.ElementTree as ET

XS = "http://www.w3.org/2001/XMLSchema"
XMLNS_XML = "http://www.w3.org/XML/1998/namespace"
MAX_STATES = 4000


class Refuse(Exception):
    pass


def tag(e):
    if not e.tag.startswith("{" + XS + "}"):
        raise Refuse("element %s is not XML Schema's" % e.tag)
    return e.tag[len(XS) + 2:]


def attrs_only(e, allowed):
    for a in e.attrib:
        if a not in allowed:
            raise Refuse("<%s %s=...> is not known to the generator" % (tag(e), a))


def kids(e):
    return [c for c in e if tag(c) not in ("annotation",)]


class Gen:
    def __init__(self, path):
        self.prefixes = {}
        for ev, item in ET.iterparse(path, events=("start-ns",)):
            p, uri = item
            if self.prefixes.get(p, uri) != uri:
                raise Refuse("prefix %s bound twice" % p)
            self.prefixes[p] = uri
        self.root = ET.parse(path).getroot()
        if tag(self.root) != "schema":
            raise Refuse("the root is not xs:schema")
        attrs_only(self.root, {"targetNamespace", "elementFormDefault", "version"})
        self.tns = self.root.get("targetNamespace")
        if self.root.get("elementFormDefault") != "qualified" or not self.tns:
            raise Refuse("only a target namespace with qualified elements is known")
        self.g = {k: {} for k in ("simpleType", "complexType", "element",
                                  "attributeGroup", "group")}
        for c in kids(self.root):
            t = tag(c)
            if t not in self.g:
                raise Refuse("top-level <%s> is not known" % t)
            self.g[t][c.get("name")] = c
        for el in self.g["element"].values():
            if el.get("substitutionGroup") or el.get("abstract"):
                raise Refuse("substitution groups are not known")
        self.types = []        # simple type descriptors (tuples)
        self.type_ids = {}
        self.patterns = []
        self.enums = []
        self.decls = []        # element declarations
        self.decl_of = {}      # global name -> decl id

    def qname(self, v):
        p, _, local = v.rpartition(":")
        uri = self.prefixes.get(p)
        if uri is None:
            raise Refuse("prefix of %s is not declared" % v)
        return uri, local

    # ---- simple types ------------------------------------------------
    def add_type(self, desc):
        if desc not in self.type_ids:
            self.type_ids[desc] = len(self.types)
            self.types.append(desc)
        return self.type_ids[desc]

    BUILTIN = {"string": "STRING", "token": "TOKEN", "boolean": "BOOLEAN",
               "NCName": "NCNAME", "anyURI": "ANYURI", "decimal": "DECIMAL",
               "positiveInteger": "POSINT"}
    DEFER_BUILTIN = {"ID", "IDREF", "IDREFS"}

    def builtin(self, local):
        if local in self.DEFER_BUILTIN:
            return self.add_type(("DEFER", 0, (), (), 0, ()))
        if local not in self.BUILTIN:
            raise Refuse("built-in type xs:%s is not known" % local)
        return self.add_type((self.BUILTIN[local], 0, (), (), 0, ()))

    def type_ref(self, v):
        uri, local = self.qname(v)
        if uri == XS:
            return self.builtin(local)
        if uri != self.tns or local not in self.g["simpleType"]:
            raise Refuse("simple type %s is not declared" % v)
        return self.simple(self.g["simpleType"][local])

    def simple(self, st):
        attrs_only(st, {"name"})
        body = kids(st)
        if len(body) != 1:
            raise Refuse("simpleType %s: one restriction or union" % st.get("name"))
        b = body[0]
        if tag(b) == "union":
            attrs_only(b, {"memberTypes"})
            if kids(b):
                raise Refuse("a union with inline member types is not known")
            members = tuple(self.type_ref(m) for m in b.get("memberTypes").split())
            if not 1 <= len(members) <= 4:
                raise Refuse("a union of %d types is not known" % len(members))
            return self.add_type(("UNION", 0, (), (), 0, members))
        if tag(b) != "restriction":
            raise Refuse("simpleType <%s> is not known" % tag(b))
        attrs_only(b, {"base"})
        uri, local = self.qname(b.get("base"))
        if uri != XS or local not in ("string", "token", "positiveInteger"):
            raise Refuse("a restriction of %s is not known" % b.get("base"))
        kind = self.BUILTIN[local]
        enums, pats, maxinc = [], [], 0
        for f in kids(b):
            attrs_only(f, {"value"})
            t, v = tag(f), f.get("value")
            if t == "enumeration":
                enums.append(v)
            elif t == "pattern":
                pats.append(v)
            elif t == "maxInclusive" and kind == "POSINT" and v.isdigit():
                maxinc = int(v)
            else:
                raise Refuse("facet %s on %s is not known" % (t, local))
        if len(pats) > 1:
            raise Refuse("two patterns in one restriction are not known")
        return self.add_type((kind, 1, tuple(enums), tuple(pats), maxinc, ()))

    # ---- attributes --------------------------------------------------
    def attributes(self, items, out, flags):
        for a in items:
            t = tag(a)
            if t == "attribute":
                attrs_only(a, {"name", "type", "use"})
                if a.get("use", "optional") not in ("optional", "required"):
                    raise Refuse("use=%s is not known" % a.get("use"))
                inner = kids(a)
                if inner:
                    if len(inner) != 1 or tag(inner[0]) != "simpleType" or a.get("type"):
                        raise Refuse("attribute %s: unknown content" % a.get("name"))
                    ty = self.simple(inner[0])
                elif a.get("type"):
                    ty = self.type_ref(a.get("type"))
                else:
                    raise Refuse("attribute %s without a type" % a.get("name"))
                if any(x[0] == a.get("name") for x in out):
                    raise Refuse("attribute %s twice" % a.get("name"))
                out.append((a.get("name"), ty, a.get("use") == "required"))
            elif t == "attributeGroup":
                attrs_only(a, {"ref"})
                uri, local = self.qname(a.get("ref"))
                grp = self.g["attributeGroup"].get(local)
                if uri != self.tns or grp is None:
                    raise Refuse("attribute group %s is not declared" % a.get("ref"))
                self.attributes(kids(grp), out, flags)
            elif t == "anyAttribute":
                attrs_only(a, {"namespace", "processContents"})
                if (a.get("namespace") == XMLNS_XML and
                        a.get("processContents") == "skip"):
                    flags["xml"] = 1
                else:
                    flags["defer"] = 1  # other wildcards: libxml2's
            else:
                raise Refuse("<%s> among attributes is not known" % t)

    # ---- content models ----------------------------------------------
    def occurs(self, p):
        lo = int(p.get("minOccurs", "1"))
        hi = p.get("maxOccurs", "1")
        hi = None if hi == "unbounded" else int(hi)
        if hi is not None and (hi < lo or hi > 50):
            raise Refuse("maxOccurs=%s is not known" % hi)
        return lo, hi

    def particle(self, p, flags):
        t = tag(p)
        if t == "element":
            attrs_only(p, {"ref", "name", "type", "minOccurs", "maxOccurs"})
            if p.get("ref"):
                uri, local = self.qname(p.get("ref"))
                if uri != self.tns or local not in self.g["element"]:
                    raise Refuse("element %s is not declared" % p.get("ref"))
                d = self.global_decl(local)
            else:
                d = self.decl(p)
            return ("elem", self.decls[d]["name"], d, self.occurs(p))
        if t in ("sequence", "choice"):
            attrs_only(p, {"minOccurs", "maxOccurs"})
            return (t, [self.particle(c, flags) for c in kids(p)], self.occurs(p))
        if t == "group":
            attrs_only(p, {"ref", "minOccurs", "maxOccurs"})
            uri, local = self.qname(p.get("ref"))
            grp = self.g["group"].get(local)
            if uri != self.tns or grp is None or len(kids(grp)) != 1:
                raise Refuse("group %s is not declared" % p.get("ref"))
            inner = self.particle(kids(grp)[0], flags)
            return ("sequence", [inner], self.occurs(p))
        if t == "any":
            flags["defer"] = 1
            return ("sequence", [], (0, 0))
        raise Refuse("particle <%s> is not known" % t)

    def complex_body(self, ct, flags):
        """(particle or None, attributes, mixed) of a complexType."""
        attrs_only(ct, {"name", "mixed"})
        mixed = ct.get("mixed") == "true"
        items = kids(ct)
        part, attrs = None, []
        if items and tag(items[0]) == "complexContent":
            if len(items) != 1:
                raise Refuse("complexContent with siblings")
            cc = items[0]
            attrs_only(cc, {"mixed"})
            ext = kids(cc)
            if len(ext) != 1 or tag(ext[0]) != "extension":
                raise Refuse("only complexContent/extension is known")
            ext = ext[0]
            attrs_only(ext, {"base"})
            uri, local = self.qname(ext.get("base"))
            base = self.g["complexType"].get(local)
            if uri != self.tns or base is None:
                raise Refuse("base type %s is not declared" % ext.get("base"))
            bpart, battrs, bmixed = self.complex_body(base, flags)
            if bmixed != mixed:
                raise Refuse("an extension that changes mixed is not known")
            rest = kids(ext)
            if rest and tag(rest[0]) in ("sequence", "choice", "group"):
                epart = self.particle(rest[0], flags)
                rest = rest[1:]
                bpart = ("sequence", [x for x in (bpart, epart) if x], (1, 1))
            attrs = list(battrs)
            self.attributes(rest, attrs, flags)
            return bpart, attrs, mixed
        if items and tag(items[0]) in ("sequence", "choice", "group", "all"):
            if tag(items[0]) == "all":
                raise Refuse("xs:all is not known")
            part = self.particle(items[0], flags)
            items = items[1:]
        self.attributes(items, attrs, flags)
        return part, attrs, mixed

    def global_decl(self, name):
        if name not in self.decl_of:
            self.decl(self.g["element"][name], top=True)
        return self.decl_of[name]

    def decl(self, el, top=False):
        attrs_only(el, {"name", "type", "ref", "minOccurs", "maxOccurs"})
        d = len(self.decls)
        rec = {"name": el.get("name"), "id": d}
        self.decls.append(rec)
        if top:  # before its content, which may refer to it
            self.decl_of[rec["name"]] = d
        flags = {"xml": 0, "defer": 0}
        inner = kids(el)
        for c in inner:
            if tag(c) in ("key", "unique", "keyref"):
                flags["defer"] = 1
        inner = [c for c in inner if tag(c) not in ("key", "unique", "keyref")]
        if el.get("type"):
            if inner:
                raise Refuse("element %s: type and content" % el.get("name"))
            uri, local = self.qname(el.get("type"))
            if uri == self.tns and local in self.g["complexType"]:
                inner = [self.g["complexType"][local]]
            else:
                rec.update(kind="SIMPLE", simple=self.type_ref(el.get("type")))
        if "kind" not in rec:
            if len(inner) != 1:
                raise Refuse("element %s: no type" % el.get("name"))
            if tag(inner[0]) == "simpleType":
                rec.update(kind="SIMPLE", simple=self.simple(inner[0]))
            elif tag(inner[0]) == "complexType":
                part, attrs, mixed = self.complex_body(inner[0], flags)
                rec.update(kind="COMPLEX", part=part, attrs=attrs, mixed=mixed)
            else:
                raise Refuse("element %s: <%s>" % (el.get("name"), tag(inner[0])))
        if "attrs" in rec and len(rec["attrs"]) > 32:
            raise Refuse("more than 32 attributes on %s" % rec["name"])
        rec.update(xml=flags["xml"], defer=flags["defer"])
        return d

    # ---- particle -> NFA -> DFA ---------------------------------------
    def nfa(self, part):
        eps, moves = [[]], [[]]

        def new():
            eps.append([])
            moves.append([])
            return len(eps) - 1

        def once(p, s):
            kind = p[0]
            if kind == "elem":
                e = new()
                moves[s].append((p[1], p[2], e))
                return e
            if kind == "sequence":
                for c in p[1]:
                    s = rep(c, s)
                return s
            e = new()  # choice
            if not p[1]:
                return e  # an empty choice matches nothing: e is unreachable
            for c in p[1]:
                eps[rep(c, s)].append(e)
            return e

        def rep(p, s):
            lo, hi = p[-1]
            for _ in range(lo):
                s = once(p, s)
            if hi is None:
                loop = new()
                eps[s].append(loop)
                eps[once(p, loop)].append(loop)
                return loop
            for _ in range(hi - lo):
                e = once(p, s)
                eps[s].append(e)
                s = e
            return s

        end = rep(part, 0) if part else 0
        return eps, moves, end

    def dfa(self, part):
        eps, moves, end = self.nfa(part)

        def closure(ss):
            st, seen = list(ss), set(ss)
            while st:
                for n in eps[st.pop()]:
                    if n not in seen:
                        seen.add(n)
                        st.append(n)
            return frozenset(seen)

        start = closure({0})
        index, states, work = {start: 0}, [], [start]
        while work:
            cur = work.pop(0)
            out = {}
            for s in cur:
                for name, d, t in moves[s]:
                    if name in out and out[name][0] != d:
                        raise Refuse("two declarations of <%s> in one content model" % name)
                    out.setdefault(name, (d, set()))[1].add(t)
            trans = []
            for name, (d, ts) in sorted(out.items()):
                nxt = closure(ts)
                if nxt not in index:
                    index[nxt] = len(index)
                    work.append(nxt)
                    if len(index) > MAX_STATES:
                        raise Refuse("a content model has too many states")
                trans.append((name, index[nxt], d))
            states.append((end in cur, trans))
        return minimise(states)

    # ---- output ------------------------------------------------------
    def run(self):
        for name in sorted(self.g["element"]):
            self.global_decl(name)
        # a type whose restriction names no simple type of the schema
        for st in self.g["simpleType"].values():
            self.simple(st)
        names = sorted({d["name"] for d in self.decls})
        nid = {n: i for i, n in enumerate(names)}
        states, trans, shared = [], [], {}
        for d in self.decls:
            if d["kind"] != "COMPLEX":
                continue
            m = self.dfa(d["part"])
            # empty content: libxml2 refuses even white space in it
            d["empty"] = int(not d["mixed"] and not any(ts for _, ts in m))
            key = repr(m)
            if key not in shared:  # the same content model: one DFA
                shared[key] = len(states)
                base = len(states)
                for acc, ts in m:
                    states.append((int(acc), len(trans), len(ts)))
                    trans.extend((nid[n], base + nx, dd) for n, nx, dd in ts)
            d["start"] = shared[key]
        return self.emit(names, nid, states, trans)

    def emit(self, names, nid, states, trans):
        o = ["/* Generated by src/load/valid_gen.py from the schema compiled in;",
             " * do not edit.  load_valid.c says what the tables mean. */",
             "#define QV_TNS %s" % cstr(self.tns)]
        o.append("static const char *const qv_names[] = {")
        o += ["    %s," % cstr(n) for n in names]
        o.append("};")
        pats = []
        enums = []
        tys = []
        for kind, ws, en, pa, mx, mem in self.types:
            ef = len(enums)
            enums += en
            pf = len(pats) if pa else -1
            pats += pa
            tys.append("    {QV_%s, %d, %d, %d, %d, %d, {%s}, %d}," % (
                kind, ws, ef, len(en), pf, mx,
                ", ".join(str(m) for m in mem) or "0", len(mem)))
        o.append("static const char *const qv_enums[] = {")
        o += ["    %s," % cstr(e) for e in enums] or ["    0,"]
        o.append("};")
        o.append("#define QV_NPATTERNS %d" % len(pats))
        o.append("static const char *const qv_patterns[] = {")
        o += ["    %s," % cstr(p) for p in pats] or ["    0,"]
        o.append("};")
        o.append("static const qv_type qv_types[] = {")
        o += tys
        o.append("};")
        attrs = []
        o.append("static const qv_decl qv_decls[] = {")
        for d in self.decls:
            af = len(attrs)
            al = d.get("attrs", [])
            attrs += al
            req = 0
            for i, a in enumerate(al):
                if a[2]:
                    req |= 1 << i
            o.append("    {%d, QV_%s, %d, %d, %d, %d, %d, 0x%xu, %d, %d}, /* %s */" % (
                nid[d["name"]], "DEFER" if d["defer"] else d["kind"],
                1 if d.get("mixed") else 0, d["xml"], af, len(al),
                d.get("start", -1), req, d.get("simple", -1), d.get("empty", 0), d["name"]))
        o.append("};")
        o.append("static const qv_attr qv_attrs[] = {")
        o += ["    {%s, %d}," % (cstr(a[0]), a[1]) for a in attrs] or ["    {0, 0},"]
        o.append("};")
        o.append("static const qv_state qv_states[] = {")
        o += ["    {%d, %d, %d}," % s for s in states]
        o.append("};")
        o.append("static const qv_trans qv_trans_[] = {")
        o += ["    {%d, %d, %d}," % t for t in trans] or ["    {0, 0, 0},"]
        o.append("};")
        o.append("static const qv_global qv_globals[] = {")
        o += ["    {%d, %d}," % (nid[n], self.decl_of[n]) for n in sorted(self.decl_of)]
        o.append("};")
        return "\n".join(o) + "\n"


def minimise(states):
    """Moore's partition refinement: the fewest states reading the same
    sequences (the choice of N inline elements: 1 state, not N + 1).
    State 0 stays the start."""
    block = [int(acc) for acc, _ in states]
    while True:
        sig = [(block[i], tuple((n, block[nx], d) for n, nx, d in ts))
               for i, (_, ts) in enumerate(states)]
        ids = {}
        for x in sig:
            ids.setdefault(x, len(ids))
        new = [ids[x] for x in sig]
        if len(ids) == len(set(block)):
            break
        block = new
    # renumber by first appearance so the start state is 0
    order = {}
    for b in block:
        order.setdefault(b, len(order))
    out = [None] * len(order)
    for i, (acc, ts) in enumerate(states):
        b = order[block[i]]
        if out[b] is None:
            out[b] = (acc, [(n, order[block[nx]], d) for n, nx, d in ts])
    return out


def cstr(s):
    out = []
    for b in s.encode("utf-8"):
        c = chr(b)
        if c in '"\\':
            out.append("\\" + c)
        elif 32 <= b < 127 and c != "?":
            out.append(c)
        else:
            out.append("\\%03o" % b)
    return '"' + "".join(out) + '"'


def main():
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    try:
        text = Gen(sys.argv[1]).run()
    except Refuse as e:
        sys.exit("valid_gen.py: %s: %s (teach the generator, or it would "
                 "accept what it does not understand)" % (sys.argv[1], e))
    with open(sys.argv[2], "w") as f:
        f.write(text)


if __name__ == "__main__":
    main()
