#!/usr/bin/env python3
"""Writes wide.jpg: a 16 x 8 grey baseline JPEG (2:1), written by hand so no
image library is needed.  Its APP1 segment holds the bytes of a fake 64 x 48
frame header (4:3), so a reader that scans for FF C0 instead of walking the
segments gets the wrong size."""
import os, struct, sys

# the segment writer and Huffman tables the test images share
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "tools"))
from make_images import jpeg_segment as seg, luminance_tables  # noqa: E402

out = b"\xFF\xD8"
out += seg(0xE0, b"JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00")
out += seg(0xE1, b"fake\x00\xFF\xC0\x00\x0B\x08\x00\x30\x00\x40\x01\x01\x11\x00")
out += seg(0xDB, b"\x00" + bytes([1] * 64))                      # DQT, table 0
out += seg(0xC0, b"\x08" + struct.pack(">HH", 8, 16) + b"\x01\x01\x11\x00")  # SOF0
out += luminance_tables()
out += seg(0xDA, b"\x01\x01\x00\x00\x3F\x00")                      # SOS
# two blocks, each DC diff 0 ("00") then EOB ("1010"); padded with ones
out += b"\x28\xAF"
out += b"\xFF\xD9"
open(sys.argv[1] if len(sys.argv) > 1 else "wide.jpg", "wb").write(out)
