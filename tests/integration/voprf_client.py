"""The client half of RFC 9497's VOPRF (ristretto255-SHA512), written
again for the tests: Blind, VerifyProof and Finalize, from libsodium's
ristretto255 functions (through ctypes: Debian 12's python3-nacl has no
ristretto255 bindings) and Python's own SHA-512. It shares no code with
crypto/voprf.c or web/voprf/, so it checks the server as a stranger
would; test_invite checks it against the RFC's vectors first."""

import ctypes
import ctypes.util
import hashlib
import os

_lib = ctypes.CDLL(ctypes.util.find_library("sodium") or "libsodium.so.23")
if _lib.sodium_init() < 0:
    raise RuntimeError("sodium_init failed")

CTX = b"OPRFV1-\x01-ristretto255-SHA512"
NE = NS = 32


def _buf(n):
    return ctypes.create_string_buffer(n)


def expand_xmd64(msg, dst):
    """expand_message_xmd (RFC 9380) with SHA-512 to 64 bytes."""
    dst_prime = dst + bytes([len(dst)])
    b0 = hashlib.sha512(bytes(128) + msg + (64).to_bytes(2, "big") +
                        b"\x00" + dst_prime).digest()
    return hashlib.sha512(b0 + b"\x01" + dst_prime).digest()


def hash_to_group(msg):
    out = _buf(NE)
    _lib.crypto_core_ristretto255_from_hash(
        out, expand_xmd64(msg, b"HashToGroup-" + CTX))
    return out.raw


def hash_to_scalar(msg):
    out = _buf(NS)
    _lib.crypto_core_ristretto255_scalar_reduce(
        out, expand_xmd64(msg, b"HashToScalar-" + CTX))
    return out.raw


def mult(s, p):
    out = _buf(NE)
    if _lib.crypto_scalarmult_ristretto255(out, s, p) != 0:
        raise ValueError("identity")
    return out.raw


def mult_base(s):
    out = _buf(NE)
    if _lib.crypto_scalarmult_ristretto255_base(out, s) != 0:
        raise ValueError("identity")
    return out.raw


def add(a, b):
    out = _buf(NE)
    if _lib.crypto_core_ristretto255_add(out, a, b) != 0:
        raise ValueError("not an element")
    return out.raw


def random_scalar():
    out = _buf(NS)
    _lib.crypto_core_ristretto255_scalar_random(out)
    return out.raw


def invert(s):
    out = _buf(NS)
    if _lib.crypto_core_ristretto255_scalar_invert(out, s) != 0:
        raise ValueError("zero")
    return out.raw


def _l2(b):
    return len(b).to_bytes(2, "big") + b


def blind(inp, r=None):
    """(blind, blindedElement)."""
    r = r or random_scalar()
    return r, mult(r, hash_to_group(inp))


def verify_proof(pk, c_elems, d_elems, proof):
    """RFC 9497 VerifyProof with A = G, B = pk; raises on failure."""
    seed_dst = b"Seed-" + CTX
    seed = hashlib.sha512(_l2(pk) + _l2(seed_dst)).digest()
    m = z = None
    for i, (ci, di) in enumerate(zip(c_elems, d_elems)):
        d = hash_to_scalar(_l2(seed) + i.to_bytes(2, "big") + _l2(ci) +
                           _l2(di) + b"Composite")
        m = mult(d, ci) if m is None else add(m, mult(d, ci))
        z = mult(d, di) if z is None else add(z, mult(d, di))
    c, s = proof[:32], proof[32:]
    t2 = add(mult_base(s), mult(c, pk))
    t3 = add(mult(s, m), mult(c, z))
    want = hash_to_scalar(_l2(pk) + _l2(m) + _l2(z) + _l2(t2) + _l2(t3) +
                          b"Challenge")
    if want != c:
        raise ValueError("proof does not hold")


def finalize(inp, bl, evaluated, blinded, pk, proof):
    verify_proof(pk, [blinded], [evaluated], proof)
    n = mult(invert(bl), evaluated)
    return hashlib.sha512(_l2(inp) + _l2(n) + b"Finalize").digest()


B32 = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"


def b32(data):
    acc = bits = 0
    out = ""
    for x in data:
        acc = (acc << 8) | x
        bits += 8
        while bits >= 5:
            bits -= 5
            out += B32[(acc >> bits) & 31]
        acc &= (1 << bits) - 1
    if bits:
        out += B32[(acc << (5 - bits)) & 31]
    return out


def token(batch, inp, output):
    """The /s/ token the browser makes: batch || input || output[:16]."""
    return b32(batch.to_bytes(4, "big") + inp + output[:16])


def new_input():
    return os.urandom(16)
