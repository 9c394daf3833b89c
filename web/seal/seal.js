/*
 * seal.js: the browser's half of a sealed report (the report form,
 * GET /melden and /melden/l/LINK). Without this script the server seals
 * the text on arrival; with it the text never leaves the browser.
 *
 * Entry points: sealReport (the crypto, exported for tests) and the form
 * wiring at the bottom (runs when the page has a form[data-seal]).
 * Data path on "send":
 *   the form's checks (required texts and choices, caps in characters
 *   as the server counts them) -> the text as the server would compose it (every answered
 *   question's label, then the text or "- option" lines, CR LF line
 *   breaks as a browser posts them) -> a fresh receipt (15 random bytes)
 *   and salt -> Argon2id (2 passes, 32 MiB, as crypto/receipt.h) -> seed
 *   -> the reply key pair (crypto_box_seed_keypair: SHA-512 of the seed)
 *   -> a fresh report key pair, its secret sealed to the desk's key ->
 *   plaintext (version 1, 8-byte big-endian time, UTF-8 text) padded
 *   (ISO/IEC 7816-4) to 1, 4 or 16 KiB, sealed to both public keys ->
 *   SHA-256 of the text -> a new form with only these values (base64url,
 *   hex) and the unit's option id, posted to the same address.
 *
 * Sealing is crypto_box_seal's construction, composed from @noble:
 * ephemeral X25519 key pair, nonce = BLAKE2b-192(epk || pk), key =
 * HSalsa20(X25519(esk, pk)), XSalsa20-Poly1305; output epk || tag || ct.
 * The desk opens it with libsodium's crypto_box_seal_open unchanged.
 * The build bundles this file into build/seal.js, served as
 * /static/seal.js under script-src 'self' with an integrity attribute.
 */
import { x25519 } from '@noble/curves/ed25519.js';
import { hsalsa, xsalsa20poly1305 } from '@noble/ciphers/salsa.js';
import { argon2idAsync } from '@noble/hashes/argon2.js';
import { blake2b } from '@noble/hashes/blake2.js';
import { sha256, sha512 } from '@noble/hashes/sha2.js';

export const RECEIPT_BYTES = 15;
export const SALT_BYTES = 16;
export const TEXT_MAX = 16000;
const BUCKETS = [1024, 4096, 16384];
const HEAD = 9;

function rand(n) {
	const b = new Uint8Array(n);
	crypto.getRandomValues(b);
	return b;
}

export function toHex(b) {
	return Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('');
}

export function toB64u(b) {
	let s = '';
	for (let i = 0; i < b.length; i += 0x8000)
		s += String.fromCharCode.apply(null, b.subarray(i, i + 0x8000));
	return btoa(s).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

export function fromB64(s) {
	const bin = atob(s.replace(/-/g, '+').replace(/_/g, '/'));
	return Uint8Array.from(bin, (c) => c.charCodeAt(0));
}

function words(b) {
	const w = new Uint32Array(b.length / 4);
	for (let i = 0; i < w.length; i++)
		w[i] = b[4 * i] | (b[4 * i + 1] << 8) | (b[4 * i + 2] << 16) |
		    (b[4 * i + 3] << 24);
	return w;
}

function bytes(w) {
	const b = new Uint8Array(w.length * 4);
	for (let i = 0; i < w.length; i++)
		for (let j = 0; j < 4; j++)
			b[4 * i + j] = (w[i] >>> (8 * j)) & 0xff;
	return b;
}

const SIGMA = words(new TextEncoder().encode('expand 32-byte k'));

/* crypto_box_beforenm: HSalsa20 of the X25519 shared secret. */
function boxKey(sk, pk) {
	const shared = x25519.getSharedSecret(sk, pk);
	const out = new Uint32Array(8);

	hsalsa(SIGMA, words(shared), new Uint32Array(4), out);
	shared.fill(0);
	return bytes(out);
}

/* crypto_box_seal of m to pk. */
export function boxSeal(m, pk) {
	const esk = rand(32);
	const epk = x25519.getPublicKey(esk);
	const nonce = blake2b(new Uint8Array([...epk, ...pk]), { dkLen: 24 });
	const key = boxKey(esk, pk);
	const c = xsalsa20poly1305(key, nonce).encrypt(m);
	const out = new Uint8Array(32 + c.length);

	out.set(epk, 0);
	out.set(c, 32);
	esk.fill(0);
	key.fill(0);
	return out;
}

/* The padded plaintext of a message: version, time, text, 0x80, zeros. */
export function padded(text, timeS) {
	const t = new TextEncoder().encode(text);
	const n = HEAD + t.length;
	const bucket = BUCKETS.find((b) => n < b);

	if (t.length > TEXT_MAX || bucket === undefined)
		throw new Error('text too long');
	const p = new Uint8Array(bucket);
	p[0] = 1;
	let v = BigInt(timeS);
	for (let i = 8; i >= 1; i--) {
		p[i] = Number(v & 0xffn);
		v >>= 8n;
	}
	p.set(t, HEAD);
	p[n] = 0x80;
	t.fill(0);
	return p;
}

/* The reply key pair of a receipt and salt (crypto/receipt.h). */
export async function replyKey(receipt, salt) {
	const seed = await argon2idAsync(receipt, salt,
	    { t: 2, m: 32 * 1024, p: 1, dkLen: 32, version: 0x13 });
	const sk = sha512(seed).slice(0, 32);

	seed.fill(0);
	return { pk: x25519.getPublicKey(sk), sk };
}

/*
 * Seals text for the desk (desk_pk: the desk's X25519 public key) and
 * for the reporter; returns the fields the server stores, as strings.
 */
export async function sealReport(text, deskPk, timeS) {
	const receipt = rand(RECEIPT_BYTES);
	const salt = rand(SALT_BYTES);
	const reply = await replyKey(receipt, salt);
	const rsk = rand(32);
	const rpk = x25519.getPublicKey(rsk);
	const plain = padded(text, timeS);
	const out = {
		receipt: toHex(receipt),
		reply_salt: toB64u(salt),
		reply_pk: toB64u(reply.pk),
		report_pk: toB64u(rpk),
		sealed_key: toB64u(boxSeal(rsk, deskPk)),
		for_desk: toB64u(boxSeal(plain, rpk)),
		for_reporter: toB64u(boxSeal(plain, reply.pk)),
		text_sha256: toHex(sha256(new TextEncoder().encode(text))),
	};

	reply.sk.fill(0);
	rsk.fill(0);
	plain.fill(0);
	receipt.fill(0);
	return out;
}

/* A textarea's value as a browser posts it: line breaks as CR LF. */
function posted(v) {
	return v.replace(/\r\n|\r|\n/g, '\r\n');
}

/* The label's own text (without its "required" mark). */
function labelText(el) {
	const n = el.firstChild;
	return n !== null && n.nodeType === Node.TEXT_NODE ?
	    n.nodeValue.replace(/ $/, '') : el.textContent;
}

/* The text as page_report_form_text composes it on the server. */
export function composeText(form) {
	let out = '';
	let first = true;

	for (const q of form.querySelectorAll('.question')) {
		const ta = q.querySelector('textarea');
		let body = '';

		if (ta !== null) {
			if (/^[ \t\r\n]*$/.test(ta.value))
				continue;
			body = posted(ta.value) + '\n';
			out += (first ? '' : '\n') +
			    labelText(q.querySelector('label')) + '\n' + body;
		} else {
			const on = q.querySelectorAll('input:checked');

			if (on.length === 0)
				continue;
			for (const i of on)
				body += '- ' + form.querySelector(
				    'label[for="' + i.id + '"]').textContent + '\n';
			out += (first ? '' : '\n') +
			    labelText(q.querySelector('legend')) + '\n' + body;
		}
		first = false;
	}
	return out;
}

/* The form's checks in the browser: [{id, text}] of what is wrong. */
function check(form) {
	const d = form.dataset;
	const bad = [];

	const required = (d.required || '').split(' ');

	for (const ta of form.querySelectorAll('textarea')) {
		const v = posted(ta.value);
		const max = Number(ta.getAttribute('maxlength'));

		if (/^[ \t\r\n]*$/.test(v)) {
			if (required.includes(ta.id))
				bad.push({ el: ta, text: d.msgMissing });
		} else if ([...v].length > max)
			bad.push({ el: ta, text: d.msgTooLong.replace('{n}',
			    String(max)) });
	}
	for (const fs of form.querySelectorAll('fieldset')) {
		const first = fs.querySelector('input');

		if (required.includes(fs.id) && first !== null &&
		    fs.querySelector('input:checked') === null)
			bad.push({ el: first, text: d.msgMissingChoice, group: fs });
	}
	return bad;
}

/* Shows the problems in a summary at the top of the form, focused. */
function showProblems(form, bad) {
	let box = form.querySelector('.seal-problems');

	if (box === null) {
		box = document.createElement('div');
		box.className = 'error-summary seal-problems';
		box.setAttribute('role', 'alert');
		box.tabIndex = -1;
		form.prepend(box);
	}
	box.replaceChildren();
	const h = document.createElement('h2');
	h.textContent = form.dataset.msgHeading;
	const ul = document.createElement('ul');
	for (const b of bad) {
		const li = document.createElement('li');
		const a = document.createElement('a');
		a.href = '#' + b.el.id;
		a.textContent = b.text;
		li.append(a);
		ul.append(li);
		(b.group || b.el).setAttribute('aria-invalid', 'true');
	}
	box.append(h, ul);
	box.focus();
}

function hidden(f, name, value) {
	const i = document.createElement('input');

	i.type = 'hidden';
	i.name = name;
	i.value = value;
	f.append(i);
}

async function onSubmit(ev) {
	const form = ev.currentTarget;
	const d = form.dataset;

	ev.preventDefault();
	if (form.dataset.busy === '1')
		return;
	const bad = check(form);
	if (bad.length > 0) {
		showProblems(form, bad);
		return;
	}
	const text = composeText(form);
	if (new TextEncoder().encode(text).length > TEXT_MAX) {
		showProblems(form, [{ el: form.querySelector('textarea'),
		    text: d.msgTooLarge }]);
		return;
	}
	form.dataset.busy = '1';
	const status = form.querySelector('.seal-status');
	if (status !== null)
		status.textContent = d.msgSealing;
	let sealed;
	try {
		sealed = await sealReport(text, fromB64(d.deskPk),
		    Math.floor(Date.now() / 1000));
	} catch (e) {
		form.dataset.busy = '';
		if (status !== null)
			status.textContent = '';
		showProblems(form, [{ el: form.querySelector('textarea'),
		    text: d.msgTooLarge }]);
		return;
	}
	const out = document.createElement('form');
	out.method = 'post';
	out.action = form.getAttribute('action');
	out.hidden = true;
	out.className = 'seal-out';
	hidden(out, 'lang', form.elements.lang.value);
	hidden(out, 'once', form.elements.once.value);
	hidden(out, 'sealed', '1');
	for (const [k, v] of Object.entries(sealed))
		hidden(out, k, v);
	const unit = form.querySelector('input[name="' + d.unit + '"]:checked');
	if (d.unit && unit !== null)
		hidden(out, d.unit, unit.value);
	/* Files go as chosen: the server cleans them on arrival (their
	 * metadata cannot be taken out once sealed) and seals them. */
	const files = form.querySelector('input[type="file"]');
	if (files !== null && files.files.length > 0) {
		out.enctype = 'multipart/form-data';
		out.append(files);
	}
	document.body.append(out);
	out.submit();
}

if (typeof document !== 'undefined') {
	const form = document.querySelector('form[data-seal]');

	if (form !== null && form.dataset.deskPk) {
		form.addEventListener('submit', onSubmit);
		/* Back to this page (after "busy", say): it may be sent again. */
		window.addEventListener('pageshow', () => {
			form.dataset.busy = '';
			for (const o of document.querySelectorAll('form.seal-out'))
				o.remove();
			const st = form.querySelector('.seal-status');
			if (st !== null)
				st.textContent = '';
		});
		const note = form.querySelector('.seal-note');
		if (note !== null)
			note.textContent = form.dataset.msgWillSeal;
	}
}
