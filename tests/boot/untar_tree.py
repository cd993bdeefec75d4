#!/usr/bin/env python3
"""untar_tree.py - the archive of boot test untar_tree and its oracle.

  untar_tree.py mk TAR        writes an archive with chosen modes (set-id,
                              sticky), owners, times, sizes around block and
                              indirect-block edges, symlinks, hard links, a
                              deep path and GNU long names
  untar_tree.py check TAR OUT compares OUT, the guest's listing of the tree
                              busybox tar made of TAR (one line per entry:
                              name|rawmode|uid|gid|links|size|mtime|extra,
                              extra the md5 of a file or a symlink's target),
                              with what busybox tar makes of TAR natively:
                              files and directories get the archive's mode,
                              owner and mtime (a directory's mtime only when
                              nothing was created in it later); symlinks
                              their target (busybox sets neither their owner
                              nor their times); hard links share the inode.
Prints one line per difference and exits 1 if there is any.
"""
import hashlib
import io
import sys
import tarfile


def body(n, seed):
    out = bytearray()
    x = seed
    while len(out) < n:
        x = (x * 1103515245 + 12345) & 0x7fffffff
        out += x.to_bytes(4, 'little')
    return bytes(out[:n])


def members():
    D, F, L, H = tarfile.DIRTYPE, tarfile.REGTYPE, tarfile.SYMTYPE, tarfile.LNKTYPE
    m = [('t', D, 0o755, 0, 0, 1500000000, 0, ''),
         ('t/empty700', D, 0o700, 1000, 1000, 1234567890, 0, ''),
         ('t/sticky', D, 0o1777, 0, 0, 1111111111, 0, ''),
         ('t/sgid', D, 0o2775, 0, 50, 1222222222, 0, '')]
    sizes = [0, 1, 511, 512, 4095, 4096, 4097, 49152, 49153, 100000, 1300000, 4300000]
    modes = [0o644, 0o600, 0o755, 0o4755, 0o2711, 0o444, 0o640, 0o1644, 0o700, 0o666, 0o604, 0o640]
    for i, (s, mode) in enumerate(zip(sizes, modes)):
        m.append(('t/f%02d' % i, F, mode, [0, 1000, 65534, 7][i % 4],
                  [0, 100, 65534, 3][(i + 1) % 4], 1000000000 + i * 86401, s, ''))
    m += [('t/deep/a/b/c/d/e/leaf.h', F, 0o644, 0, 0, 1600000000, 3000, ''),
          ('t/' + 'n' * 120 + '/' + 'x' * 140, F, 0o644, 1, 1, 1600000001, 10, ''),
          ('t/sgid/in', F, 0o664, 2, 50, 1650000000, 5, ''),
          ('t/l-rel', L, 0o777, 0, 0, 1300000000, 0, 'f01'),
          ('t/l-abs', L, 0o777, 1000, 1000, 1300000001, 0, '/etc/passwd'),
          ('t/l-dangling', L, 0o777, 0, 0, 1300000002, 0, 'no/such/thing'),
          ('t/l-dir', L, 0o777, 0, 0, 1300000003, 0, 'deep/a'),
          ('t/l-long', L, 0o777, 0, 0, 1300000004, 0, 'y' * 300),
          ('t/hard', H, 0o644, 0, 0, 1000000000, 0, 't/f00'),
          ('t/hard2', H, 0o644, 0, 0, 1000000000, 0, 't/f05'),
          ('t/sgid/hard3', H, 0o644, 0, 0, 1000000000, 0, 't/f05'),
          ('t/deep/a/b/c/d/e/leaf2.h', F, 0o755, 3, 4, 1700000000, 4096 * 13 + 5, '')]
    for i in range(300):	# a directory past one block of entries
        m.append(('t/many/entry-%03d.h' % i, F, 0o644, i % 5, i % 7, 1400000000 + i, i * 37 % 5000, ''))
    return m


def mk(path):
    tf = tarfile.open(path, 'w', format=tarfile.GNU_FORMAT)
    for seed, (name, typ, mode, uid, gid, mtime, size, link) in enumerate(members(), 1):
        ti = tarfile.TarInfo(name)
        ti.type, ti.mode, ti.uid, ti.gid, ti.mtime = typ, mode, uid, gid, mtime
        ti.uname = ti.gname = ''
        data = None
        if typ == tarfile.REGTYPE:
            data = body(size, seed)
            ti.size = size
        else:
            ti.linkname = link
        tf.addfile(ti, io.BytesIO(data) if data is not None else None)
    tf.close()


def expected():
    """name -> dict of the fields busybox tar sets, from members()."""
    want, byname, links = {}, {}, {}
    kinds = {tarfile.DIRTYPE: 0o040000, tarfile.REGTYPE: 0o100000, tarfile.SYMTYPE: 0o120000}
    for seed, (name, typ, mode, uid, gid, mtime, size, link) in enumerate(members(), 1):
        parts = name.split('/')
        for i in range(1, len(parts)):	# made by tar on the way: 0755 root
            d = '/'.join(parts[:i])
            if d not in want:
                want[d] = {'mode': 0o040755, 'uid': 0, 'gid': 0}
            want[d].pop('mtime', None)	# something was created in it
        if typ == tarfile.LNKTYPE:
            want[name] = want[link]	# the same inode
            links[link] = links.get(link, 1) + 1
            continue
        e = {'mode': kinds[typ] | mode}
        if typ == tarfile.SYMTYPE:
            e = {'mode': 0o120777, 'size': len(link), 'extra': link}
        else:
            e.update(uid=uid, gid=gid, mtime=mtime)
        if typ == tarfile.REGTYPE:
            e.update(size=size, extra=hashlib.md5(body(size, seed)).hexdigest())
        want[name] = e
        byname[name] = e
    for name, n in links.items():
        byname[name]['links'] = n
    return want


def check(out):
    want = expected()
    got, bad = {}, []
    for line in open(out, errors='replace'):
        f = line.rstrip('\n').split('|')
        if len(f) != 8 or not f[0].startswith('t'):
            continue
        got[f[0]] = {'mode': int(f[1], 16), 'uid': int(f[2]), 'gid': int(f[3]),
                     'links': int(f[4]), 'size': int(f[5]), 'mtime': int(f[6]),
                     'extra': f[7].split(' ')[0]}
    for name in sorted(set(want) | set(got)):
        if name not in got:
            bad.append('missing %s' % name)
            continue
        if name not in want:
            bad.append('unexpected %s' % name)
            continue
        for k, v in want[name].items():
            if got[name][k] != v:
                bad.append('%s: %s %r, want %r' % (name[:60], k, got[name][k], v))
    for b in bad:
        print(b)
    return 1 if bad or not got else 0


if __name__ == '__main__':
    if len(sys.argv) == 3 and sys.argv[1] == 'mk':
        mk(sys.argv[2])
    elif len(sys.argv) == 4 and sys.argv[1] == 'check':
        sys.exit(check(sys.argv[3]))
    else:
        sys.exit('usage: untar_tree.py mk TAR | check TAR OUT')
