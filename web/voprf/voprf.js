/*
 * voprf.js: the browser's half of a blind invitation (GET /i/CODE).
 *
 * The client steps of RFC 9497's VOPRF (ristretto255-SHA512) come from
 * @noble/curves (ristretto255_oprf.voprf): Blind, and Finalize, which
 * verifies the server's DLEQ proof against the batch's public key before
 * it unblinds. This file only wires them to the page:
 *
 *   16 random bytes (the PRF input) -> blind -> POST blinded=HEX (a
 *   form) to the page's own address -> {evaluated, proof} -> finalize against the
 *   public key the page states -> the survey token
 *   batch id (4 bytes, big-endian) || input || first 16 bytes of output,
 *   in Crockford base32 (as the server's tokens), shown as /s/TOKEN.
 *
 * The server sees the blinded element only: it never learns the input
 * or the output, so it cannot tell which invitation a token came from.
 * At /s/TOKEN it recomputes the output from the input with the batch's
 * secret key and compares. The build bundles this file with its
 * dependency into one script (build/voprf.js), served as
 * /static/voprf.js under script-src 'self' with an integrity attribute.
 */
import { ristretto255_oprf } from '@noble/curves/ed25519.js';

export const voprf = ristretto255_oprf.voprf;
export const INPUT_BYTES = 16;
export const TAG_BYTES = 16;

const B32 = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

export function toHex(b) {
	return Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('');
}

export function fromHex(s) {
	if (typeof s !== 'string' || !/^([0-9a-f]{2})*$/i.test(s))
		throw new Error('not hex');
	const out = new Uint8Array(s.length / 2);
	for (let i = 0; i < out.length; i++)
		out[i] = parseInt(s.slice(2 * i, 2 * i + 2), 16);
	return out;
}

/* Crockford base32, upper case, as crypto/b32.c writes it. */
export function toB32(b) {
	let acc = 0, bits = 0, out = '';
	for (const x of b) {
		acc = ((acc << 8) | x) & 0xffff;
		bits += 8;
		while (bits >= 5) {
			bits -= 5;
			out += B32[(acc >> bits) & 31];
		}
	}
	if (bits > 0)
		out += B32[(acc << (5 - bits)) & 31];
	return out;
}

/* The token's bytes: batch id, PRF input, the output's first bytes. */
export function tokenBytes(batch, input, output) {
	const t = new Uint8Array(4 + INPUT_BYTES + TAG_BYTES);
	new DataView(t.buffer).setUint32(0, batch, false);
	t.set(input, 4);
	t.set(output.subarray(0, TAG_BYTES), 4 + INPUT_BYTES);
	return t;
}

/*
 * Runs the whole exchange: post(blindedHex) must resolve to the server's
 * {evaluated, proof} (hex). Throws 'proof' when the proof does not hold
 * for pk (a wrong key or a tampered answer). Returns the token text.
 */
export async function redeem(batch, pk, post, rng) {
	const input = new Uint8Array(INPUT_BYTES);
	globalThis.crypto.getRandomValues(input);
	const { blind, blinded } = voprf.blind(input, rng);
	const ans = await post(toHex(blinded));
	let output;
	try {
		output = voprf.finalize(input, blind, fromHex(ans.evaluated),
		    blinded, pk, fromHex(ans.proof));
	} catch (e) {
		throw new Error('proof');
	}
	return toB32(tokenBytes(batch, input, output));
}

function show(id) {
	const el = document.getElementById(id);
	if (el)
		el.hidden = false;
	return el;
}

function hide(id) {
	const el = document.getElementById(id);
	if (el)
		el.hidden = true;
}

async function start(root, button) {
	button.disabled = true;
	hide('invite-go');
	show('invite-busy');
	const post = async (blinded) => {
		const res = await fetch(root.dataset.action, {
			method: 'POST',
			headers: { 'Content-Type':
			    'application/x-www-form-urlencoded' },
			body: new URLSearchParams({ blinded }).toString(),
			credentials: 'same-origin',
			cache: 'no-store',
		});
		if (res.status === 410) {
			const ans = await res.json().catch(() => ({}));
			throw new Error(ans.error === 'closed' ? 'closed' : 'used');
		}
		if (!res.ok)
			throw new Error('http');
		return res.json();
	};
	try {
		const token = await redeem(Number(root.dataset.batch),
		    fromHex(root.dataset.pk), post);
		const link = location.origin + '/s/' + token;
		hide('invite-busy');
		const done = show('invite-done');
		document.getElementById('invite-now').href = '/s/' + token;
		document.getElementById('invite-link').value = link;
		done.focus();
	} catch (e) {
		hide('invite-busy');
		const which = {
			proof: 'invite-err-proof',
			used: 'invite-err-used',
			closed: 'invite-err-closed',
		}[e.message] || 'invite-err-other';
		show(which).focus();
	}
}

function main() {
	const root = document.getElementById('invite');
	const button = document.getElementById('invite-start');
	if (!root || !button)
		return;
	hide('invite-nojs');
	show('invite-go');
	button.addEventListener('click', () => start(root, button));
	const link = document.getElementById('invite-link');
	if (link)
		link.addEventListener('focus', () => link.select());
}

if (typeof document !== 'undefined')
	main();
