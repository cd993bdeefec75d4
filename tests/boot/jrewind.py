#!/usr/bin/env python3
"""jrewind.py IMAGE - point an ext3/ext4 journal back at its last transaction.

After a clean unmount the log is empty (s_start 0) but its blocks still
hold the last transaction ./linux committed.  Setting s_start to s_first
and s_sequence back by one (checksum recomputed) makes e2fsck replay that
transaction: e2fsprogs then reads a log written by ./linux, an oracle for
the format (descriptors, tags, checksums v3, commit block)."""
import struct
import subprocess
import sys


def crc32c(crc, data):
    for x in data:
        crc ^= x
        for _ in range(8):
            crc = (crc >> 1) ^ (0x82F63B78 if crc & 1 else 0)
    return crc


img = sys.argv[1]
blk = int(subprocess.run(['debugfs', '-R', 'bmap <8> 0', img], capture_output=True,
                         text=True).stdout.strip())
info = subprocess.run(['dumpe2fs', '-h', img], capture_output=True, text=True).stdout
bs = int([l.split(':')[1] for l in info.splitlines() if l.startswith('Block size:')][0])
with open(img, 'r+b') as f:
    f.seek(blk * bs)
    sb = bytearray(f.read(1024))
    seq, start = struct.unpack('>II', sb[0x18:0x20])
    first = struct.unpack('>I', sb[0x14:0x18])[0]
    if start != 0 or seq < 2:
        sys.exit('journal not empty or never used')
    sb[0x18:0x20] = struct.pack('>II', seq - 1, first)
    if struct.unpack('>I', sb[0x28:0x2c])[0] & 0x18:     # checksums v2/v3
        sb[0xfc:0x100] = b'\0' * 4
        sb[0xfc:0x100] = struct.pack('>I', crc32c(0xffffffff, bytes(sb)))
    f.seek(blk * bs)
    f.write(sb)
