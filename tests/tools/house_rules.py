#!/usr/bin/python3
"""The house rules of src/ (issue 11, ARCHITECTURE.md), checked on the tree:

  - the library reads no environment variable (getenv only in src/cli);
  - no source file over 1,000 lines (generated data listed in GENERATED);
  - each third-party library is called from one folder: libxml2 from
    src/load, libharu from src/pdf (its adapter files, hpdf_*), zlib from
    src/pdf; the image decoders from one file each: libpng from
    src/image/png.c, libjpeg-turbo from src/image/jpeg.c, libdeflate
    from src/pdf/hpdf_deflate.c; libqpdf (<qpdf/...>)
    from src/pdfin, the one folder with C++ (its .cc files behind a C
    header; ARCHITECTURE.md says why): no .cc file elsewhere;
  - the command uses only the public header (src/cli includes no
    internal header of the library);
  - one internal header per folder of the library (the one exception,
    src/pdf/hpdf_private.h, holds libharu's types and is included only by
    the adapter files src/pdf/hpdf_*.c, which keeps libharu out of the
    rest of the folder);
  - include/ holds one header, quorum.h;
  - no shell script under tests/, .ci/ or bench/ that sets pipefail ends a
    pipe in `grep -q`: grep stops reading at its first match, the writer
    gets SIGPIPE and pipefail fails the check that matched (e2e_deb failed
    in CI that way on `ldd | grep -q`); `grep PATTERN >/dev/null` reads it all.

usage: house_rules.py ROOT          check the tree at ROOT
       house_rules.py --self-test ROOT
           copy ROOT's src/ and include/, break each rule once in the copy
           and require the check to fail for that rule (and pass on the
           unbroken copy)
"""
import os
import re
import shutil
import sys
import tempfile

MAX_LINES = 1000
GENERATED = {"src/pdf/srgb_icc.c"}  # the sRGB profile as a C array
LIBRARY_FOLDERS = {
    # header pattern -> folders (under src/) allowed to include it
    r"#\s*include\s*<libxml/": ("load",),
    r"#\s*include\s*<hpdf": ("pdf",),
    r"#\s*include\s*<zlib\.h>": ("pdf",),
    r"#\s*include\s*<zip\.h>": ("docx",),
    r"#\s*include\s*<qpdf/": ("pdfin",),
}
CXX_FOLDERS = ("pdfin",)
LIBRARY_FILES = {
    # header pattern -> the one file allowed to include it
    r"#\s*include\s*<png(conf|libconf)?\.h>": "src/image/png.c",
    r"#\s*include\s*<(jpeglib|jerror|jconfig|jmorecfg)\.h>": "src/image/jpeg.c",
    r"#\s*include\s*<libdeflate\.h>": "src/pdf/hpdf_deflate.c",
    # ICU only as the stand-in the command links instead of it
    r"#\s*include\s*<unicode/": "src/load/icu_none.c",
}
# Libraries loaded at run time, each by the one file that uses it (libzip
# by its soname, libqpdf's module quorum-pdfin.so): ARCHITECTURE.md.
DLOPEN_FILES = {"src/docx/package.c", "src/pdfin/pdfin_module.c", "src/util/dlib.c"}
# Every function of the public header is described in the library's page.
MAN_PAGE = "docs/man/quorum.3"
HPDF_FILES = re.compile(r"^src/pdf/hpdf_[a-z_]*\.[ch]$")
PRIVATE_HEADERS = {"src/pdf/hpdf_private.h"}


def sources(root):
    for d, _, files in os.walk(os.path.join(root, "src")):
        for f in sorted(files):
            if f.endswith((".c", ".h", ".cc")):
                p = os.path.join(d, f)
                yield os.path.relpath(p, root), p


SCRIPT_DIRS = ("tests", ".ci", "bench")
EARLY_GREP = re.compile(r"\|\s*grep\s+-[a-zA-Z]*q")


def scripts(root):
    for top in SCRIPT_DIRS:
        for d, _, files in os.walk(os.path.join(root, top)):
            for f in sorted(files):
                p = os.path.join(d, f)
                try:
                    with open(p, encoding="utf-8") as fh:
                        text = fh.read()
                except (UnicodeDecodeError, OSError):
                    continue
                if f.endswith(".sh") or text.startswith("#!") and "sh" in text.split("\n", 1)[0]:
                    yield os.path.relpath(p, root), text


def check(root):
    problems = []
    for rel, text in scripts(root):
        if "pipefail" not in text:
            continue
        for n, line in enumerate(text.split("\n"), 1):
            if EARLY_GREP.search(line) and not line.lstrip().startswith("#"):
                problems.append(f"{rel}:{n}: `| grep -q` under pipefail (SIGPIPE to the writer fails the pipe)")
    for rel, path in sources(root):
        text = open(path, encoding="utf-8", errors="replace").read()
        folder = rel.split("/")[1]
        lines = text.count("\n")
        if lines > MAX_LINES and rel not in GENERATED:
            problems.append(f"{rel}: {lines} lines (at most {MAX_LINES})")
        code = re.sub(r"/\*.*?\*/", "", text, flags=re.S)
        code = re.sub(r'"(?:[^"\\\n]|\\.)*"', '""', code)
        if rel.endswith(".cc") and folder not in CXX_FOLDERS:
            problems.append(f"{rel}: C++ outside src/{'|'.join(CXX_FOLDERS)}")
        if re.search(r"\bdlopen\s*\(", code) and rel not in DLOPEN_FILES:
            problems.append(f"{rel}: loads a library at run time outside {', '.join(sorted(DLOPEN_FILES))}")
        if folder != "cli" and re.search(r"\bgetenv\s*\(", code):
            problems.append(f"{rel}: the library reads the environment (getenv)")
        for pat, allowed in LIBRARY_FOLDERS.items():
            if re.search(pat, text) and folder not in allowed:
                problems.append(f"{rel}: includes {pat.split('<')[-1]} outside src/{'|'.join(allowed)}")
        for pat, only in LIBRARY_FILES.items():
            m = re.search(pat, text)
            if m and rel != only:
                problems.append(f"{rel}: includes {m.group(0).split('<')[-1]} outside {only}")
        if re.search(r"#\s*include\s*<hpdf", text) and not HPDF_FILES.match(rel):
            problems.append(f"{rel}: libharu outside the adapter files (src/pdf/hpdf_*)")
        for inc in re.findall(r'#\s*include\s*"([^"]+)"', text):
            for ph in PRIVATE_HEADERS:
                if inc == os.path.basename(ph) and not HPDF_FILES.match(rel):
                    problems.append(f"{rel}: includes {inc}, private to src/pdf/hpdf_*.c")
        if folder == "cli":
            for inc in re.findall(r'#\s*include\s*"([^"]+)"', text):
                if not os.path.exists(os.path.join(root, "src", "cli", inc)):
                    problems.append(f"{rel}: the command includes internal header {inc}")
    src = os.path.join(root, "src")
    for folder in sorted(os.listdir(src)):
        full = os.path.join(src, folder)
        if not os.path.isdir(full) or folder == "cli":
            continue
        headers = [f for f in os.listdir(full) if f.endswith(".h")
                   and f"src/{folder}/{f}" not in PRIVATE_HEADERS]
        if len(headers) > 1:
            problems.append(f"src/{folder}: {len(headers)} internal headers ({', '.join(sorted(headers))}), want one")
    man = os.path.join(root, MAN_PAGE)
    if os.path.exists(man):
        header = open(os.path.join(root, "include", "quorum.h"), encoding="utf-8").read()
        header = re.sub(r"/\*.*?\*/", "", header, flags=re.S)
        page = open(man, encoding="utf-8").read()
        for fn in sorted(set(re.findall(r"\b(quorum_[a-z0-9_]+)\s*\(", header))):
            if not re.search(r"\b" + fn + r"\b", page):
                problems.append(f"{MAN_PAGE}: says nothing of {fn} (include/quorum.h)")
    inc = sorted(os.listdir(os.path.join(root, "include")))
    if inc != ["quorum.h"]:
        problems.append(f"include/ holds {inc}, want only quorum.h")
    return problems


def self_test(root):
    breaks = {
        "getenv": ("src/doc/zz_env.c", 'int f(void);\n#include <stdlib.h>\nint f(void) { return getenv("X") != 0; }\n'),
        "lines": ("src/doc/zz_long.c", "/* long */\n" + "".join(f"int v{i};\n" for i in range(MAX_LINES + 1))),
        "libxml": ("src/layout/zz_xml.c", "#include <libxml/parser.h>\n"),
        "libharu": ("src/pdf/zz_draw.c", "#include <hpdf.h>\n"),
        "libpng": ("src/image/zz_png.c", "#include <png.h>\n"),
        "libjpeg": ("src/layout/zz_jpeg.c", "#include <jpeglib.h>\n"),
        "libdeflate": ("src/pdf/hpdf_save.c", "#include <libdeflate.h>\n"),
        "libqpdf": ("src/pdf/zz_read.c", "#include <qpdf/qpdf-c.h>\n"),
        "icu": ("src/load/zz_icu.c", "#include <unicode/ucnv.h>\n"),
        "cxx": ("src/layout/zz_lay.cc", "int zz;\n"),
        "libjpeg-in-png": ("src/image/png.c", "#include <stdio.h>\n#include <jpeglib.h>\n"),
        "cli": ("src/cli/zz_cli.c", '#include "arena.h"\n'),
        "include": ("include/extra.h", "/* a second public header */\n"),
        "private": ("src/pdf/zz_page.c", '#include "hpdf_private.h"\n'),
        "dlopen": ("src/layout/zz_dl.c", '#include <dlfcn.h>\nvoid *zz(void);\nvoid *zz(void) { return dlopen("libz.so.1", 0); }\n'),
        "man": (MAN_PAGE, ".TH QUORUM 3\n.SH NAME\nquorum_version\n"),
        "grep-q": ("tests/e2e/zz.sh", '#!/bin/bash\nset -euo pipefail\nldd x | grep -Eq "libquorum" || exit 1\n'),
    }
    ok = True
    with tempfile.TemporaryDirectory() as tmp:
        base = os.path.join(tmp, "base")
        for d in ("src", "include", "docs/man"):
            shutil.copytree(os.path.join(root, d), os.path.join(base, d))
        good = check(base)
        if good:
            print("self-test: the unbroken copy fails:", *good, sep="\n  ")
            ok = False
        for name, (rel, text) in breaks.items():
            t = os.path.join(tmp, name)
            shutil.copytree(base, t)
            os.makedirs(os.path.dirname(os.path.join(t, rel)), exist_ok=True)
            with open(os.path.join(t, rel), "w") as f:
                f.write(text)
            if not check(t):
                print(f"self-test: breaking rule '{name}' ({rel}) went unnoticed")
                ok = False
        # one header too many in a folder
        t = os.path.join(tmp, "headers")
        shutil.copytree(base, t)
        for h in ("zz_second.h", "zz_third.h"):
            open(os.path.join(t, "src/layout", h), "w").write("/* x */\n")
        if not check(t):
            print("self-test: a second header in src/layout went unnoticed")
            ok = False
    print("self-test: " + ("every broken rule was caught" if ok else "FAILED"))
    return 0 if ok else 1


if __name__ == "__main__":
    if len(sys.argv) == 3 and sys.argv[1] == "--self-test":
        sys.exit(self_test(sys.argv[2]))
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    probs = check(sys.argv[1])
    for p in probs:
        print("FAIL:", p)
    if not probs:
        print("ok: house rules hold")
    sys.exit(1 if probs else 0)
