// The invitation page's script (the very bundle the server embeds and
// serves as /static/voprf.js: voprf.js next to the gehoord binary) against
// RFC 9497's VOPRF test vectors for ristretto255-SHA512, the same file
// tests/unit/test_voprf.c reads; and its refusals: a tampered proof and a
// wrong key make finalize throw, so the page never shows a token.

import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { test } from 'node:test';
import { BIN, REPO_ROOT } from './lib.mjs';

const bundle = path.join(path.dirname(BIN), 'voprf.js');
const V = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'tests', 'data',
  'voprf', 'rfc9497_ristretto255_voprf.json'), 'utf8'));
const mod = await import(pathToFileURL(bundle).href);
const { voprf, fromHex, toHex, toB32, redeem } = mod;

// noble draws a scalar as (48 random bytes, little-endian, mod (L - 1))
// + 1; these bytes make it draw exactly the scalar s of the vectors.
function rngFor(hex) {
  const b = fromHex(hex);
  let x = 0n;
  for (let i = b.length - 1; i >= 0; i--) x = (x << 8n) | BigInt(b[i]);
  x -= 1n;
  return (n) => {
    const out = new Uint8Array(n);
    for (let i = 0; i < n; i++) { out[i] = Number(x & 0xffn); x >>= 8n; }
    return out;
  };
}

test('DeriveKeyPair gives the vectors\' skSm and pkSm', () => {
  const k = voprf.deriveKeyPair(fromHex(V.seed), fromHex(V.keyInfo));
  assert.equal(toHex(k.secretKey), V.skSm);
  assert.equal(toHex(k.publicKey), V.pkSm);
});

test('Blind, BlindEvaluate and Finalize match every vector', () => {
  const sk = fromHex(V.skSm), pk = fromHex(V.pkSm);
  for (const v of V.vectors) {
    const items = v.input.map((inp, i) => {
      const b = voprf.blind(fromHex(inp), rngFor(v.blind[i]));
      assert.equal(toHex(b.blind), v.blind[i]);
      assert.equal(toHex(b.blinded), v.blindedElement[i]);
      return { input: fromHex(inp), blind: b.blind, blinded: b.blinded };
    });
    const ev = voprf.blindEvaluateBatch(sk, pk, items.map((x) => x.blinded),
      rngFor(v.proofRandomScalar));
    assert.deepEqual(ev.evaluated.map(toHex), v.evaluationElement);
    assert.equal(toHex(ev.proof), v.proof);
    const out = voprf.finalizeBatch(items.map((x, i) => ({ ...x,
      evaluated: fromHex(v.evaluationElement[i]) })), pk, fromHex(v.proof));
    assert.deepEqual(out.map(toHex), v.output);
  }
});

test('a tampered proof and a wrong key are refused', () => {
  const v = V.vectors[0], pk = fromHex(V.pkSm);
  const args = [fromHex(v.input[0]), fromHex(v.blind[0]),
    fromHex(v.evaluationElement[0]), fromHex(v.blindedElement[0])];
  assert.equal(toHex(voprf.finalize(...args, pk, fromHex(v.proof))),
    v.output[0]);
  for (const i of [0, 31, 32, 63]) {
    const bad = fromHex(v.proof);
    bad[i] ^= 1;
    assert.throws(() => voprf.finalize(...args, pk, bad));
  }
  const other = voprf.generateKeyPair();
  assert.throws(() => voprf.finalize(...args, other.publicKey,
    fromHex(v.proof)));
});

test('redeem makes batch || input || tag, checked by the secret key', async () => {
  const k = voprf.generateKeyPair();
  let seen;
  const post = async (blindedHex) => {
    seen = blindedHex;
    const e = voprf.blindEvaluate(k.secretKey, k.publicKey, fromHex(blindedHex));
    return { evaluated: toHex(e.evaluated), proof: toHex(e.proof) };
  };
  const token = await redeem(7, k.publicKey, post);
  assert.equal(token.length, 58);
  const bytes = b32decode(token, 36);
  assert.deepEqual([...bytes.subarray(0, 4)], [0, 0, 0, 7]);
  // The server's check: Evaluate(sk, input) starts with the tag. noble
  // has no Evaluate; blinding with 1 makes BlindEvaluate one.
  const input = bytes.subarray(4, 20);
  const one = voprf.blind(input, rngFor('01' + '00'.repeat(31)));
  const e = voprf.blindEvaluate(k.secretKey, k.publicKey, one.blinded);
  const out = voprf.finalize(input, one.blind, e.evaluated, one.blinded,
    k.publicKey, e.proof);
  assert.deepEqual([...bytes.subarray(20)], [...out.subarray(0, 16)]);
  // The server saw neither the input nor the output.
  assert.ok(!seen.includes(toHex(input)));
  // A wrong key: the page refuses with 'proof'.
  const other = voprf.generateKeyPair();
  await assert.rejects(redeem(7, other.publicKey, post), /proof/);
  // A tampered answer likewise.
  const tamper = async (b) => {
    const a = await post(b);
    return { ...a, proof: a.proof.slice(0, -2) + (a.proof.endsWith('00') ? '01' : '00') };
  };
  await assert.rejects(redeem(7, k.publicKey, tamper), /proof/);
});

test('toB32 writes what crypto/b32.c writes', () => {
  // Values worked by hand, and a round trip through the decoder below.
  assert.equal(toB32(new Uint8Array([0xff])), 'ZW');
  assert.equal(toB32(new Uint8Array(16)), '0'.repeat(26));
  const r = new Uint8Array(36).map((_, i) => (i * 37 + 11) & 0xff);
  assert.deepEqual([...b32decode(toB32(r), 36)], [...r]);
});

function b32decode(s, n) {
  const A = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
  const out = new Uint8Array(n);
  let acc = 0, bits = 0, o = 0;
  for (const c of s) {
    acc = ((acc << 5) | A.indexOf(c)) & 0xffff;
    bits += 5;
    if (bits >= 8) { bits -= 8; out[o++] = (acc >> bits) & 0xff; }
  }
  return out;
}
