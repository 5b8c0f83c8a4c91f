"""Packets in a capture: classic pcap (either byte order, us or ns) or pcapng (enhanced,
simple and obsolete packet blocks). Prints the count; exits 1 with a message on a file it
cannot read. Used by bench/peers/ to size mbuf pools and to turn times into rates."""
import struct
import sys


def count(path):
    with open(path, "rb") as f:
        head = f.read(24)
        if len(head) < 24:
            raise ValueError("shorter than a pcap header")
        magic = head[:4]
        if magic in (b"\xd4\xc3\xb2\xa1", b"\x4d\x3c\xb2\xa1", b"\xa1\xb2\xc3\xd4", b"\xa1\xb2\x3c\x4d"):
            endian = "<" if magic[0] in (0xD4, 0x4D) else ">"
            n = 0
            while True:
                rec = f.read(16)
                if len(rec) < 16:
                    return n
                incl = struct.unpack(endian + "IIII", rec)[2]
                f.seek(incl, 1)
                n += 1
        if magic == b"\x0a\x0d\x0d\x0a":
            bom = head[8:12]
            endian = "<" if bom == b"\x4d\x3c\x2b\x1a" else ">"
            f.seek(0)
            n = 0
            while True:
                bh = f.read(8)
                if len(bh) < 8:
                    return n
                btype, blen = struct.unpack(endian + "II", bh)
                if btype in (2, 3, 6):
                    n += 1
                if blen < 12:
                    raise ValueError("damaged pcapng block")
                f.seek(blen - 8, 1)
        raise ValueError("not a pcap or pcapng file")


if __name__ == "__main__":
    try:
        print(count(sys.argv[1]))
    except (OSError, ValueError) as e:
        sys.exit(f"pcap_count: {sys.argv[1]}: {e}")
