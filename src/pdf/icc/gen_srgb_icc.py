#!/usr/bin/python3
"""Writes src/pdf/srgb_icc.c (the sRGB profile as a C array) from src/pdf/icc/sRGB.icc.

The profile is compiled into quorum so that an archive PDF does not depend
on what the building machine has installed.  Run from the repository root
after replacing src/pdf/icc/sRGB.icc; tests/unit/test_pdf.c checks that the two
agree."""
import sys

src = sys.argv[1] if len(sys.argv) > 1 else "src/pdf/icc/sRGB.icc"
dst = sys.argv[2] if len(sys.argv) > 2 else "src/pdf/srgb_icc.c"
data = open(src, "rb").read()
out = ["/* Generated from src/pdf/icc/sRGB.icc by src/pdf/icc/gen_srgb_icc.py; do not edit.\n"
       " * The profile: icc-profiles-free (Kai-Uwe Behrmann, Marti Maria et al.),\n"
       " * zlib licence: see src/pdf/icc/LICENSE-sRGB.txt. */\n"
       "#include <stddef.h>\n\nconst unsigned char qsrgb_icc[] = {\n"]
for i in range(0, len(data), 12):
    out.append("    " + ", ".join("0x%02x" % b for b in data[i:i + 12]) + ",\n")
out.append("};\nconst size_t qsrgb_icc_len = sizeof qsrgb_icc;\n")
open(dst, "w").write("".join(out))
