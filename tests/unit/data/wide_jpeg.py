#!/usr/bin/env python3
"""Writes wide.jpg: a 16 x 8 grey baseline JPEG (2:1), written by hand so no
image library is needed.  Its APP1 segment holds the bytes of a fake 64 x 48
frame header (4:3), so a reader that scans for FF C0 instead of walking the
segments gets the wrong size."""
import struct, sys

def seg(marker, payload):
    return bytes([0xFF, marker]) + struct.pack(">H", len(payload) + 2) + payload

out = b"\xFF\xD8"
out += seg(0xE0, b"JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00")
out += seg(0xE1, b"fake\x00\xFF\xC0\x00\x0B\x08\x00\x30\x00\x40\x01\x01\x11\x00")
out += seg(0xDB, b"\x00" + bytes([1] * 64))                      # DQT, table 0
out += seg(0xC0, b"\x08" + struct.pack(">HH", 8, 16) + b"\x01\x01\x11\x00")  # SOF0
# Standard luminance DC and AC Huffman tables (ITU T.81 K.3)
dc_bits = [0, 1, 5, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0, 0, 0, 0]
dc_vals = list(range(12))
ac_bits = [0, 2, 1, 3, 3, 2, 4, 3, 5, 5, 4, 4, 0, 0, 1, 0x7D]
ac_vals = bytes.fromhex(
    "01020300041105122131410613516107227114328191a1082342b1c11552d1f024336272"
    "82090a161718191a25262728292a3435363738393a434445464748494a53545556575859"
    "5a636465666768696a737475767778797a838485868788898a92939495969798999aa2a3"
    "a4a5a6a7a8a9aab2b3b4b5b6b7b8b9bac2c3c4c5c6c7c8c9cad2d3d4d5d6d7d8d9dae1e2"
    "e3e4e5e6e7e8e9eaf1f2f3f4f5f6f7f8f9fa")
out += seg(0xC4, b"\x00" + bytes(dc_bits) + bytes(dc_vals))
out += seg(0xC4, b"\x10" + bytes(ac_bits) + ac_vals)
out += seg(0xDA, b"\x01\x01\x00\x00\x3F\x00")                      # SOS
# two blocks, each DC diff 0 ("00") then EOB ("1010"); padded with ones
out += b"\x28\xAF"
out += b"\xFF\xD9"
open(sys.argv[1] if len(sys.argv) > 1 else "wide.jpg", "wb").write(out)
