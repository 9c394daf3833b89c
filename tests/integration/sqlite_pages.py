"""Where rows lie in a SQLite database file: a reader of the file format
(https://www.sqlite.org/fileformat.html) for the tests that look at the
file as an attacker with a copy would, not through SQL.

  btree_pages(data, root)     every page number of a b-tree (and overflow)
  row_positions(data, root, column)
                              {value of record column: (page, offset,
                              is leaf)}
                              for a WITHOUT ROWID table or an index
"""

import struct


def page_size(data):
    size = struct.unpack(">H", data[16:18])[0]
    return 65536 if size == 1 else size


def _usable(data):
    return page_size(data) - data[20]


def _page(data, pgno):
    ps = page_size(data)
    return data[(pgno - 1) * ps:pgno * ps]


def _varint(buf, off):
    """(value, next offset) of the varint at off."""
    v = 0
    for i in range(8):
        b = buf[off + i]
        v = (v << 7) | (b & 0x7F)
        if b < 0x80:
            return v, off + i + 1
    return (v << 8) | buf[off + 8], off + 9


def _header(page, pgno):
    """(type, cell count, cell pointer offsets, right child or None)."""
    off = 100 if pgno == 1 else 0
    kind = page[off]
    ncell = struct.unpack(">H", page[off + 3:off + 5])[0]
    interior = kind in (2, 5)
    right = struct.unpack(">I", page[off + 8:off + 12])[0] if interior \
        else None
    ptr0 = off + (12 if interior else 8)
    ptrs = [struct.unpack(">H", page[ptr0 + 2 * i:ptr0 + 2 * i + 2])[0]
            for i in range(ncell)]
    return kind, ptrs, right


def _local_size(data, kind, payload):
    """Bytes of a payload kept in the cell (the rest is in overflow)."""
    u = _usable(data)
    if kind == 13:  # table leaf
        x = u - 35
    else:           # index pages; table interior cells carry no payload
        x = (u - 12) * 64 // 255 - 23
    if payload <= x:
        return payload
    m = (u - 12) * 32 // 255 - 23
    k = m + (payload - m) % (u - 4)
    return k if k <= x else m


def _cell(data, page, kind, off):
    """(child or None, payload bytes kept locally, first overflow page)."""
    child = None
    if kind in (2, 5):
        child = struct.unpack(">I", page[off:off + 4])[0]
        off += 4
        if kind == 5:
            return child, b"", 0
    payload, off = _varint(page, off)
    if kind == 13:
        _, off = _varint(page, off)  # rowid
    local = _local_size(data, kind, payload)
    body = page[off:off + local]
    ovfl = 0
    if local < payload:
        ovfl = struct.unpack(">I", page[off + local:off + local + 4])[0]
    return child, body, ovfl


def _overflow_chain(data, first):
    pages = []
    while first:
        pages.append(first)
        first = struct.unpack(">I", _page(data, first)[0:4])[0]
    return pages


def _walk(data, root, visit):
    stack = [root]
    while stack:
        pgno = stack.pop()
        page = _page(data, pgno)
        kind, ptrs, right = _header(page, pgno)
        visit(pgno, page, kind, ptrs)
        for p in ptrs:
            child, _, _ = _cell(data, page, kind, p)
            if child:
                stack.append(child)
        if right:
            stack.append(right)


def btree_pages(data, root):
    """Every page of the b-tree at root, overflow pages included."""
    pages = set()

    def visit(pgno, page, kind, ptrs):
        pages.add(pgno)
        for p in ptrs:
            _, _, ovfl = _cell(data, page, kind, p)
            pages.update(_overflow_chain(data, ovfl))
    _walk(data, root, visit)
    return pages


def _record_column(body, column):
    """The value of column `column` of a record (ints and blobs only)."""
    hlen, off = _varint(body, 0)
    types = []
    while off < hlen:
        t, off = _varint(body, off)
        types.append(t)
    pos = hlen
    sizes = {0: 0, 1: 1, 2: 2, 3: 3, 4: 4, 5: 6, 6: 8, 7: 8, 8: 0, 9: 0}
    for i, t in enumerate(types):
        n = sizes[t] if t < 12 else (t - 12) // 2
        if i == column:
            if t >= 12:
                return bytes(body[pos:pos + n])
            if t in (8, 9):
                return t - 8
            return int.from_bytes(body[pos:pos + n], "big", signed=True)
        pos += n
    raise ValueError("record has no column %d" % column)


def row_positions(data, root, column):
    """{column value: (page number, byte offset of the cell in the page,
    whether the page is a leaf)} for every entry of an index b-tree (a
    WITHOUT ROWID table is one). A value seen twice (the parts of one
    answer) keeps its first cell."""
    pos = {}

    def visit(pgno, page, kind, ptrs):
        if kind not in (2, 10):
            raise ValueError("page %d is not an index b-tree page" % pgno)
        for p in ptrs:
            _, body, _ = _cell(data, page, kind, p)
            key = _record_column(body, column)
            if key not in pos or (pgno, p) < pos[key][:2]:
                pos[key] = (pgno, p, kind == 10)
    _walk(data, root, visit)
    return pos
