#!/usr/bin/env python3
"""jrewind.py IMAGE - point an ext3/ext4 journal back at its last transaction.

After a clean unmount the log is empty (s_start 0) but its blocks still
hold the last transaction ./linux committed, somewhere in the circular
log: the descriptor of sequence s_sequence - 1 that no other descriptor
of that sequence leads to is its start.  Setting s_start there and
s_sequence back by one (checksum recomputed) makes e2fsck replay that
transaction: e2fsprogs then reads a log written by ./linux, an oracle for
the format (descriptors, tags, checksums v3, commit block, wrapping)."""
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
log = subprocess.run(['debugfs', '-R', 'cat <8>', img], capture_output=True).stdout
MAGIC, DESCRIPTOR = 0xC03B3998, 1


def header(pos):
    return struct.unpack('>III', log[pos * bs:pos * bs + 12])


def descriptor_end(pos, first, maxlen, incompat):
    """The log position after descriptor pos and the data blocks its tags name."""
    if incompat & 0x10:          # checksums v3
        tag = 16
    else:
        tag = 12 + (2 if incompat & 0x8 else 0) - (0 if incompat & 0x2 else 4)
    off, n, b = 12, 0, log[pos * bs:(pos + 1) * bs]
    while off + tag <= bs:
        flags = struct.unpack('>I', b[off + 4:off + 8])[0] if incompat & 0x10 else \
            struct.unpack('>H', b[off + 6:off + 8])[0]
        n += 1
        off += tag + (0 if flags & 2 else 16)
        if flags & 8:            # last tag
            break
    for _ in range(n + 1):
        pos = first if pos + 1 >= maxlen else pos + 1
    return pos


with open(img, 'r+b') as f:
    f.seek(blk * bs)
    sb = bytearray(f.read(1024))
    maxlen, first, seq, start = struct.unpack('>IIII', sb[0x10:0x20])
    incompat = struct.unpack('>I', sb[0x28:0x2c])[0]
    if start != 0 or seq < 2:
        sys.exit('journal not empty or never used')
    descs = [p for p in range(first, min(maxlen, len(log) // bs))
             if header(p)[0] == MAGIC and header(p)[1] == DESCRIPTOR and header(p)[2] == seq - 1]
    reached = {descriptor_end(p, first, maxlen, incompat) for p in descs}
    starts = [p for p in descs if p not in reached]
    if len(starts) != 1:
        sys.exit('cannot find the start of transaction %d (descriptors at %s)' % (seq - 1, descs))
    sb[0x18:0x20] = struct.pack('>II', seq - 1, starts[0])
    if incompat & 0x18:          # checksums v2/v3
        sb[0xfc:0x100] = b'\0' * 4
        sb[0xfc:0x100] = struct.pack('>I', crc32c(0xffffffff, bytes(sb)))
    f.seek(blk * bs)
    f.write(sb)
