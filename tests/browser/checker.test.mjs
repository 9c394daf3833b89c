// The page checks themselves (lib.mjs, Checker): a page made to break each
// rule must fail each check, and a plain good page must pass them all, so
// that a green run of the other tests means something.

import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { AXE_VERSION, Checker, launchBrowser } from './lib.mjs';

// No server is needed: the checker serves the page itself, and these
// pages load nothing else.
const BASE = 'http://127.0.0.1:9';

const GOOD = `<!DOCTYPE html>
<html lang="nl"><head><meta charset="utf-8"><title>Goed</title>
<style>:focus-visible { outline: 3px solid #0b4a9e; outline-offset: 2px; }</style></head>
<body><main><h1>Goed</h1>
<form method="post" action="/s/x">
<fieldset id="q-a"><legend>Vraag</legend>
<input type="radio" id="q-a.1" name="q_a" value="1"><label for="q-a.1">Ja</label>
<input type="radio" id="q-a.2" name="q_a" value="2"><label for="q-a.2">Nee</label>
</fieldset>
<label for="q-t">Toelichting</label><textarea id="q-t" name="q_t"></textarea>
<button type="submit">Versturen</button>
<p><button type="submit" name="switch_lang" value="en" lang="en">English</button></p>
</form></main></body></html>`;

const BAD = `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>Slecht</title>
<style>
:focus { outline: none; }
.wide { width: 900px; }
.pale { color: #c8c8c8; }
.cover { position: relative; }
.cover::after { content: ""; position: absolute; inset: 0; background: #fff; }
</style></head>
<body><main>
<form method="post" action="/s/x">
<p><button type="submit" name="switch_lang" value="en">English</button></p>
<h1>Slecht</h1>
<div class="error-summary" role="alert"><h2>Er is een probleem</h2>
<ul><li><a href="#q-x">Vraag x</a></li></ul></div>
<div id="q-x"><input type="text" name="q_x" aria-invalid="true"></div>
<p><input type="radio" id="r1" name="q_r" value="1"><label for="r1">Ja</label>
<input type="radio" id="r2" name="q_r" value="2"><label for="r2">Nee</label></p>
<p class="error-message" id="q-x:error">Deze vraag is verplicht.</p>
<p class="pale">Bijna onleesbaar.</p>
<div class="wide">Te breed.</div>
<div class="cover"><button type="submit" name="nav" value="next">Verder</button></div>
</form></main></body></html>`;

let browser;
let checker;

before(async () => {
  browser = await launchBrowser();
  checker = await new Checker(browser, BASE).open();
});

after(async () => {
  await checker?.close();
  await browser?.close();
});

test(`a plain good page passes every check (axe-core ${AXE_VERSION})`, async () => {
  const p = await checker.check({ name: '[good]', html: GOOD }, 'nl');
  assert.deepEqual(p, []);
});

test('a page that breaks each rule fails each check', async () => {
  const p = await checker.check({ name: '[bad]', html: BAD }, 'nl', { errors: true });
  const has = (cat, re) => assert.ok(p.some((x) => x.cat === cat && re.test(x.msg)),
    `expected a ${cat} problem matching ${re}; got:\n  ${p.map((x) => `${x.cat}: ${x.msg}`).join('\n  ')}`);
  has('axe', /axe label /);
  has('axe', /axe color-contrast /);
  has('lang', /<html lang="en">, expected "nl"/);
  has('lang', /lacks lang="en"/);
  has('labels', /the group q_r is not in a fieldset with a legend/);
  has('labels', /q_x has no label/);
  has('enter', /presses switch_lang=en "English", the first submit button/);
  has('focus', /focus not visible on input/);
  has('layout', /at 320 px .*horizontal scrolling/);
  has('layout', /at 400 % zoom .*horizontal scrolling/);
  has('layout', /button\[name="nav"\]\[value="next"\] is not usable: covered/);
  has('errors', /comes after the page heading/);
  has('errors', /link #q-x does not move focus/);
  has('errors', /does not start with "Fout:"/);
  has('errors', /not tied to its field/);
  has('errors', /aria-invalid but not described/);
});
