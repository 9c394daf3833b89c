// Answering an instrument in a real browser, generically.
//
// A test names a definition (survey-defs/*.json) and one or more paths:
// a path maps a question id to its answer, an option id (single, likert),
// a list of option ids (multi), or a text (text, number). A matrix id may
// map to one option id for all its items or to {item id: option id}; an
// item id may also be given directly. The walker opens a one-time link,
// and on every page fills the fields of the path that it finds there
// (field name q_<id>, radio and check box values are option ids), then
// presses the form's forward button (`nav`, or the submit button of a
// one-page form), until a page without a form: the thank-you page. Each
// page is captured for the Checker (lib.mjs).
//
// From the definition and the path it knows which pages and questions the
// conditions (show_if) show, so it also checks that every shown question
// was asked, and that no page whose condition is false was.
//
// instrumentSuite(file, opts) builds the node:test tests of one
// instrument: walks in nl and en, with and without JavaScript, at 400 %
// zoom, 320 px and desktop widths, by keyboard and by mouse; every page of
// the two no-JS walks of the main path checked (axe and the rest), a page
// with validation errors among them in both languages. While `gehoord def
// check` refuses the file, the suite is skipped, and says why.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  Checker, OTHER, VIEWPORTS, defCheck, launchBrowser, loadDef, messages,
  newWalkContext, startServer,
} from './lib.mjs';

export const PREFER_NOT = '_prefer_not';

// ------------------------------------------------------------------------
// The definition

/**
 * The instrument's pages and questions, for formats 1 and 2: {id, format,
 * pages: [{id, title, show_if, questions}], q: Map(id -> question)}. A
 * question: {id, type, required, options (ids), max_length, show_if,
 * page, matrix (the matrix id of an item), items (a matrix's item ids)}.
 */
export function model(def) {
  const q = new Map();
  const scales = def.response_scales || {};
  const scaleOptions = (name) => {
    const s = scales[name];
    if (!s) return null;
    return (Array.isArray(s) ? s : s.options || []).map((o) => o.id);
  };
  const pagesIn = def.pages || [{ id: 'page', questions: def.questions }];
  const pages = pagesIn.map((p) => ({
    id: p.id, title: p.title, show_if: p.show_if, questions: [],
  }));
  pagesIn.forEach((p, pi) => {
    for (const qd of p.questions) {
      let options = qd.options ? qd.options.map((o) => o.id) : null;
      if (!options && qd.scale) options = scaleOptions(qd.scale);
      if (options && qd.prefer_not) options = [...options, PREFER_NOT];
      const question = {
        id: qd.id, type: qd.type, required: !!qd.required, options,
        max_length: qd.max_length, show_if: qd.show_if, page: pi, label: qd.label,
      };
      if (qd.type === 'matrix') {
        question.items = qd.items.map((it) => it.id);
        for (const it of qd.items) {
          q.set(it.id, {
            id: it.id, type: 'likert', required: !!qd.required, options,
            show_if: qd.show_if, page: pi, matrix: qd.id, label: it.label,
          });
        }
      }
      q.set(qd.id, question);
      pages[pi].questions.push(question);
    }
  });
  return { id: def.id, format: def.format, title: def.title, pages, q };
}

/** Flattens a path: matrices become their items. Map(field key -> value). */
export function flatten(m, path) {
  const flat = new Map();
  for (const [k, v] of Object.entries(path)) {
    const q = m.q.get(k);
    if (q && q.type === 'matrix') {
      for (const item of q.items) {
        const val = typeof v === 'object' && !Array.isArray(v) ? v[item] : v;
        if (val !== undefined) flat.set(item, val);
      }
    } else {
      flat.set(k, v);
    }
  }
  return flat;
}

/**
 * Whether condition c holds for the path's answers: true, false, or
 * undefined for a form of condition this file does not know. A condition
 * on a question that is not shown is false.
 */
function cond(m, c, flat) {
  if (!c) return true;
  if (Array.isArray(c.any)) {
    const r = c.any.map((x) => cond(m, x, flat));
    if (r.includes(true)) return true;
    return r.includes(undefined) ? undefined : false;
  }
  if (Array.isArray(c.all)) {
    const r = c.all.map((x) => cond(m, x, flat));
    if (r.includes(false)) return false;
    return r.includes(undefined) ? undefined : true;
  }
  if (c.not) {
    const r = cond(m, c.not, flat);
    return r === undefined ? undefined : !r;
  }
  if (typeof c.question === 'string') {
    const q = m.q.get(c.question);
    const shown = q ? isShown(m, q, flat) : undefined;
    const v = flat.get(c.question);
    const vals = v === undefined || v === '' ? [] : [].concat(v);
    if ('answered' in c) return shown === false ? !c.answered : (vals.length > 0) === !!c.answered;
    if (shown === false) return false;
    if (Array.isArray(c.any_of)) return vals.some((x) => c.any_of.includes(x));
    if (Array.isArray(c.none_of)) return vals.length > 0 && !vals.some((x) => c.none_of.includes(x));
  }
  return undefined;
}

function isPageShown(m, pi, flat) {
  return cond(m, m.pages[pi].show_if, flat);
}

function isShown(m, q, flat) {
  const p = isPageShown(m, q.page, flat);
  if (p !== true) return p;
  return cond(m, q.show_if, flat);
}

/** Throws if the path names an unknown question or option, or a hidden question. */
export function validatePath(m, flat) {
  for (const [k, v] of flat) {
    const q = m.q.get(k);
    assert.ok(q, `path: no question or matrix item "${k}" in ${m.id}`);
    assert.notEqual(q.type, 'matrix', `path: matrix ${k} has no items to answer`);
    if (q.type === 'multi') {
      assert.ok(Array.isArray(v), `path: ${k} is a multi: give a list`);
    } else {
      assert.equal(typeof v, 'string', `path: ${k}: give one string`);
    }
    if (q.options) {
      for (const o of [].concat(v)) {
        assert.ok(q.options.includes(o), `path: ${k} has no option "${o}" (${q.options.join(', ')})`);
      }
    }
    assert.notEqual(isShown(m, q, flat), false, `path: ${k} is answered but its condition hides it`);
  }
}

/** The answerable questions (not matrices) that the path's answers show. */
function expectedQuestions(m, flat) {
  return [...m.q.values()].filter((q) => q.type !== 'matrix' && isShown(m, q, flat) === true);
}

// ------------------------------------------------------------------------
// The walk

const SNAP_INFO = () => {
  const forms = [...document.querySelectorAll('form')]
    .filter((f) => (f.getAttribute('method') || '').toLowerCase() === 'post');
  const names = [...new Set([...document.querySelectorAll('[name^="q_"]')]
    .filter((e) => e.type !== 'hidden' && !e.closest('[hidden]')).map((e) => e.name))];
  const h1 = document.querySelector('h1');
  const h2 = [...document.querySelectorAll('h2')].find((h) => !h.closest('.error-summary, [role=alert]'));
  const summary = document.querySelector('.error-summary, [role=alert]');
  return {
    hasForm: forms.length > 0,
    names,
    heading: h1 ? h1.textContent.trim().replace(/\s+/g, ' ') : '',
    sub: h2 ? h2.textContent.trim().replace(/\s+/g, ' ') : '',
    lang: document.documentElement.getAttribute('lang'),
    summary: summary ? summary.textContent.trim().replace(/\s+/g, ' ') : null,
    hasBack: [...document.querySelectorAll('button[name=nav], input[name=nav]')]
      .some((b) => /back|prev|terug|vorig/i.test(b.value + ' ' + b.textContent)),
  };
};

// Marks the form's forward (or back) button with data-walker; its HTML.
const MARK_BUTTON = (kind) => {
  for (const b of document.querySelectorAll('[data-walker]')) b.removeAttribute('data-walker');
  const btns = [...document.querySelectorAll('form button, form input[type=submit]')]
    .filter((b) => b.type === 'submit' && b.name !== 'switch_lang' &&
      (b.form?.getAttribute('method') || '').toLowerCase() === 'post');
  const isBack = (b) => b.name === 'nav' &&
    /back|prev|terug|vorig/i.test(b.value + ' ' + b.textContent);
  let pick;
  if (kind === 'back') {
    pick = btns.find(isBack);
  } else {
    const fwd = btns.filter((b) => !isBack(b));
    pick = fwd.find((b) => b.name === 'nav') || fwd[fwd.length - 1];
  }
  if (!pick) return null;
  pick.setAttribute('data-walker', kind);
  return pick.outerHTML.slice(0, 160);
};

class Walk {
  constructor(opts) {
    Object.assign(this, opts);
    this.pages = [];
    this.problems = [];
    this.filled = new Set();
    this.seen = new Set();
  }

  /** Runs action (a click or a key) and waits for the page it loads. */
  async navigate(action, why) {
    const page = this.page;
    let status = null;
    const onResp = (r) => {
      if (r.request().isNavigationRequest() && r.frame() === page.mainFrame()) status = r.status();
    };
    page.on('response', onResp);
    try {
      await Promise.all([page.waitForNavigation({ waitUntil: 'load' }), action()]);
    } finally {
      page.off('response', onResp);
    }
    return this.capture(status, why);
  }

  async capture(status, why) {
    const info = await this.page.evaluate(SNAP_INFO);
    const n = this.pages.length + 1;
    const snap = {
      name: `[${this.label} #${n} ${why}: "${info.heading}${info.sub ? ' / ' + info.sub : ''}" (HTTP ${status})]`,
      html: await this.page.content(),
      status,
      info,
    };
    this.pages.push(snap);
    for (const nm of info.names) this.seen.add(nm.slice(2));
    return snap;
  }

  async goto(url) {
    const r = await this.page.goto(url, { waitUntil: 'load' });
    return this.capture(r.status(), 'open link');
  }

  /** Presses the forward (kind "next") or back button, by keyboard or mouse. */
  async press(kind, why) {
    const html = await this.page.evaluate(MARK_BUTTON, kind);
    assert.ok(html, `${this.label}: no ${kind} button on "${this.last().info.heading}"`);
    const btn = this.page.locator(`[data-walker="${kind}"]`);
    if (this.keyboard) {
      // Tab from wherever focus is to the button, then Enter.
      let found = false;
      for (let i = 0; i < 300 && !found; i++) {
        await this.page.keyboard.press('Tab');
        found = await this.page.evaluate((k) => document.activeElement?.getAttribute('data-walker') === k, kind);
      }
      assert.ok(found, `${this.label}: could not reach ${html} with Tab`);
      return this.navigate(() => this.page.keyboard.press('Enter'), why || `${kind} (Enter)`);
    }
    return this.navigate(() => btn.click(), why || `${kind} (click)`);
  }

  last() {
    return this.pages[this.pages.length - 1];
  }

  /** Sets field q_<key> to value, the way a person does. */
  async fill(key, value) {
    const page = this.page;
    const els = page.locator(`[name="q_${key}"]`);
    const kind = await els.first().evaluate((e) => (e.tagName === 'INPUT' ? e.type : e.tagName.toLowerCase()));
    if (kind === 'radio' || kind === 'checkbox') {
      const want = [].concat(value);
      const have = await els.evaluateAll((l) => l.map((e) => ({ v: e.value, id: e.id, checked: e.checked })));
      for (const w of want) {
        assert.ok(have.some((h) => h.v === w), `${this.label}: q_${key} has no option ${w} on this page (${have.map((h) => h.v).join(', ')})`);
      }
      for (const h of have) {
        const on = want.includes(h.v);
        if (on === h.checked || (kind === 'radio' && !on)) continue;
        await this.toggle(page.locator(`[name="q_${key}"][value="${h.v}"]`), h.id);
      }
      const now = await els.evaluateAll((l) => l.filter((e) => e.checked).map((e) => e.value));
      assert.deepEqual(now.sort(), [...want].sort(), `${this.label}: q_${key} did not take ${want}`);
    } else {
      const el = els.first();
      await el.fill('');
      if (this.keyboard) {
        await el.click();
        await el.pressSequentially(String(value));
      } else {
        await el.fill(String(value));
      }
      assert.equal((await el.inputValue()).replace(/\r/g, ''), String(value), `${this.label}: q_${key} did not take the text`);
    }
    this.filled.add(key);
  }

  /**
   * Clicks an option's label when it has a visible one, else the input (a
   * matrix on a wide screen: its column headers show the options, its
   * labels are for screen readers only).
   */
  async toggle(input, id) {
    if (id) {
      const label = this.page.locator(`label[for="${id}"]`).first();
      const box = await label.count() && await label.isVisible() && await label.boundingBox();
      if (box && box.width > 2 && box.height > 2) {
        await label.click();
        return;
      }
    }
    await input.click();
  }

  /** Whether the page still holds the path's answers for keys. */
  async kept(keys) {
    const missing = [];
    for (const key of keys) {
      const want = this.flat.get(key);
      const got = await this.page.evaluate((k) => {
        const els = [...document.querySelectorAll(`[name="q_${k}"]`)];
        if (!els.length) return null;
        if (els[0].type === 'radio' || els[0].type === 'checkbox') return els.filter((e) => e.checked).map((e) => e.value);
        return els[0].value.replace(/\r/g, '');
      }, key);
      const ok = Array.isArray(got) ? JSON.stringify([...got].sort()) === JSON.stringify([].concat(want).sort()) : got === String(want);
      if (!ok) missing.push(`q_${key}: ${JSON.stringify(got)} instead of ${JSON.stringify(want)}`);
    }
    return missing;
  }

  async fillPage(snap) {
    const keys = [];
    // Fields can appear once others are answered (progressive enhancement):
    // fill until nothing new shows.
    for (let round = 0; round < 5; round++) {
      const names = round === 0 ? snap.info.names : (await this.page.evaluate(SNAP_INFO)).names;
      const todo = names.map((n) => n.slice(2)).filter((k) => this.flat.has(k) && !keys.includes(k));
      if (!todo.length) break;
      for (const k of todo) {
        const visible = await this.page.locator(`[name="q_${k}"]`).first().isVisible();
        if (!visible && this.js) continue; // hidden until its condition holds
        await this.fill(k, this.flat.get(k));
        keys.push(k);
        for (const n of (await this.page.evaluate(SNAP_INFO)).names) this.seen.add(n.slice(2));
      }
    }
    return keys;
  }

  /** Provokes a validation error on this page; returns the error page. */
  async provokeError(snap) {
    const { question, how } = this.errorOn;
    if (how === 'toolong') {
      const keys = await this.fillPage(snap);
      const q = this.model.q.get(question);
      await this.page.locator(`[name="q_${question}"]`).evaluate((e, n) => {
        e.removeAttribute('maxlength');
        e.value = 'x'.repeat(n);
      }, q.max_length + 1);
      const err = await this.press('next', `too long ${question}`);
      const lost = await this.kept(keys.filter((k) => k !== question));
      for (const l of lost) this.problems.push({ cat: 'flow', msg: `${err.name}: answer not kept after a validation error: ${l}` });
      return err;
    }
    return this.press('next', `empty required ${question}`);
  }

  /** Switches the language and back; the answers of keys must stay. */
  async switchLanguage(keys) {
    for (const to of [OTHER[this.lang], this.lang]) {
      const sw = this.page.locator(`[name=switch_lang][value="${to}"]`);
      assert.equal(await sw.count(), 1, `${this.label}: no language switch to ${to}`);
      const snap = await this.navigate(() => sw.click(), `switch to ${to}`);
      if (snap.info.lang !== to) this.problems.push({ cat: 'lang', msg: `${snap.name}: after the switch <html lang="${snap.info.lang}">, expected ${to}` });
      for (const l of await this.kept(keys)) this.problems.push({ cat: 'flow', msg: `${snap.name}: answer lost by the language switch: ${l}` });
    }
  }

  /** Presses Back, checks the previous page kept prevKeys, goes forward again. */
  async backAndForth(prevKeys) {
    const snap = await this.press('back', 'back');
    for (const l of await this.kept(prevKeys)) this.problems.push({ cat: 'flow', msg: `${snap.name}: answer lost going back: ${l}` });
    return this.press('next', 'next after back');
  }

  /**
   * Queues the checks of a captured page: they run on the checker's own
   * page while the walk goes on; run() waits for them at the end.
   */
  checkPage(snap, lang, opts) {
    if (!this.checker) return;
    this.checks = (this.checks || Promise.resolve())
      .then(() => this.checker.check(snap, lang, opts))
      .then((p) => { this.problems.push(...p); })
      .catch((e) => { this.checkError = this.checkError || e; });
  }

  async run() {
    const { server, lang } = this;
    this.token = server.nextToken();
    const url = `${server.base}/s/${this.token}${this.query || ''}`;
    let snap = await this.goto(url);
    let errorDone = !this.errorOn;
    let switched = !this.switchLang;
    let backDone = !this.checkBack;
    let prevKeys = [];
    const sigs = new Map();
    for (let step = 0; step < 60; step++) {
      const { info } = snap;
      if (info.lang !== lang) this.problems.push({ cat: 'lang', msg: `${snap.name}: <html lang="${info.lang}">, expected ${lang}` });
      this.checkPage(snap, lang, { errors: !!snap.expectErrors });
      if (!info.hasForm) break;
      if (snap.expectErrors) {
        if (snap.status !== 422) this.problems.push({ cat: 'errors', msg: `${snap.name}: a form with errors came back with HTTP ${snap.status}, expected 422` });
        if (!info.summary) this.problems.push({ cat: 'errors', msg: `${snap.name}: no error summary after an invalid submission` });
      } else if (info.summary) {
        assert.fail(`${this.label}: unexpected validation errors on "${info.heading}": ${info.summary}`);
      }
      const sig = `${info.heading}|${info.names.join(',')}|${!!info.summary}`;
      sigs.set(sig, (sigs.get(sig) || 0) + 1);
      assert.ok(sigs.get(sig) <= 3, `${this.label}: stuck on "${info.heading}" (fields ${info.names.join(', ')})`);

      if (!errorDone && info.names.includes(`q_${this.errorOn.question}`)) {
        errorDone = true;
        snap = await this.provokeError(snap);
        snap.expectErrors = true;
        continue;
      }
      if (!backDone && info.hasBack && prevKeys.length) {
        backDone = true;
        snap = await this.backAndForth(prevKeys);
        continue;
      }
      const keys = await this.fillPage(snap);
      if (!switched && keys.length) {
        switched = true;
        await this.switchLanguage(keys);
      }
      if (keys.length) prevKeys = keys;
      snap = await this.press('next');
    }
    const end = this.last();
    assert.ok(!end.info.hasForm, `${this.label}: no end after 60 pages`);
    this.end = end;
    if (this.finalHeading) {
      assert.equal(end.info.heading, this.finalHeading, `${this.label}: last page ${end.name} is not the thank-you page`);
    }
    assert.equal(end.status, 200, `${this.label}: last page ${end.name}`);
    this.verifyCoverage();
    if (this.spentCheck) {
      const spent = await this.goto(url);
      spent.name = spent.name.replace('open link', 'spent link');
      assert.equal(spent.info.heading, messages(lang)['page.spent.heading'], `${this.label}: the used link again: ${spent.name}`);
      this.checkPage(spent, lang);
    }
    await this.checks;
    if (this.checkError) throw this.checkError;
    this.problems.push(...this.ctx.problems.map((msg) => ({ cat: 'console', msg: `${this.label}: ${msg}` })));
  }

  verifyCoverage() {
    const m = this.model;
    for (const k of this.flat.keys()) {
      assert.ok(this.filled.has(k), `${this.label}: the path answers ${k}, but no page asked it ` +
        `(fields seen: ${[...this.seen].join(', ')})`);
    }
    for (const q of expectedQuestions(m, this.flat)) {
      if (!this.seen.has(q.id)) {
        this.problems.push({ cat: 'flow', msg: `${this.label}: question ${q.id} (page ${m.pages[q.page].id}) should have been asked, but never was` });
      }
    }
    m.pages.forEach((p, pi) => {
      if (isPageShown(m, pi, this.flat) !== false) return;
      const shown = p.questions.flatMap((q) => (q.items ? q.items : [q.id])).filter((id) => this.seen.has(id));
      if (shown.length) {
        this.problems.push({ cat: 'flow', msg: `${this.label}: page ${p.id} should be skipped on this path, but showed ${shown.join(', ')}` });
      }
    });
  }
}

/**
 * Walks a survey once. opts: browser, server, model, path, lang, js,
 * viewport, keyboard, checker (or null), errorOn ({question, how}),
 * switchLang, checkBack, spentCheck, finalHeading, label. Returns the walk
 * ({pages, problems, end}); throws when the flow itself breaks.
 */
export async function walk(opts) {
  const w = new Walk({
    query: opts.lang === 'en' && !opts.js ? '?lang=en' : '',
    ...opts,
    // undefined: the thank-you message; null: not checked.
    finalHeading: opts.finalHeading === undefined
      ? messages(opts.lang)['page.thanks.heading'] : opts.finalHeading,
  });
  w.flat = flatten(w.model, w.path);
  validatePath(w.model, w.flat);
  w.ctx = await newWalkContext(opts.browser, { lang: opts.lang, js: opts.js, viewport: opts.viewport });
  try {
    w.page = await w.ctx.newPage();
    await w.run();
  } finally {
    await w.ctx.close();
  }
  return w;
}

/** Where to provoke a validation error: a required question, else a too-long text. */
export function errorPlan(m, flat) {
  const shown = expectedQuestions(m, flat);
  const req = shown.find((q) => q.required && !q.matrix);
  if (req) return { question: req.id, how: 'empty' };
  const text = shown.find((q) => q.type === 'text' && q.max_length && flat.has(q.id));
  if (text) return { question: text.id, how: 'toolong' };
  return null;
}

// ------------------------------------------------------------------------
// The tests of one instrument

// Page problems known and reported, not yet fixed: their tests run and
// print what they find, marked TODO, without failing the run. Remove an
// entry once the pages are fixed.
export const KNOWN = {};

export const CATEGORIES = [
  ['axe', 'axe-core (WCAG 2.1 A and AA): zero violations on every page'],
  ['lang', 'lang attribute matches the language; language switch marked up'],
  ['labels', 'every control labelled, every radio and check box group in a fieldset with a legend'],
  ['enter', 'Enter in a field goes forward: the first submit button is not the language switch or Back'],
  ['layout', 'usable at 320 px width and at 400 % zoom (320x256): no horizontal scrolling, every control reachable'],
  ['focus', 'visible focus on everything Tab reaches, and Tab reaches every control'],
  ['errors', 'validation errors: summary at the top, announced, links move focus; messages tied to fields'],
  ['flow', 'answers kept; every shown question asked, skipped pages not shown'],
  ['console', 'no console errors, CSP refusals or failed requests'],
];

/**
 * Registers the tests of survey-defs/FILE. opts.paths: {name: path}; the
 * first is the main path, walked three times (nl without JavaScript at
 * 400 % zoom by keyboard, en without JavaScript, nl with JavaScript at
 * 320 px; the first two check every page), the others once each (en
 * with JavaScript, nl without, by turns; with no other path, the main
 * path once more in en with JavaScript). opts.finalHeading: the last page's heading (default
 * the thank-you message; null to not check it). opts.spentCheck: open the
 * used link again and check that page too (the demo does; the page is the
 * same for every wave). opts.errorOn: where to provoke a validation error
 * (default: errorPlan).
 */
export function instrumentSuite(file, opts) {
  const ok = defCheck(file);
  const pathNames = Object.keys(opts.paths);
  test(`${file}: answered fully in a real browser, every page checked`, { timeout: 240_000 }, async (t) => {
    if (!ok.ok) {
      // Loud, never silent: the reason shows on the test's line and below.
      const why = `format 2 not served yet: ${ok.message}`;
      t.diagnostic(`SKIPPED ${file}: ${why}`);
      t.skip(why);
      return;
    }
    const def = loadDef(file);
    const m = model(def);
    const server = await startServer({ def: file, count: 4 + 2 * pathNames.length + 4 });
    const browser = await launchBrowser();
    const checkers = [];
    const started = Date.now();
    try {
      const main = opts.paths[pathNames[0]];
      const errorOn = opts.errorOn === undefined ? errorPlan(m, flatten(m, main)) : opts.errorOn;
      const walks = [
        { lang: 'nl', js: false, viewport: VIEWPORTS.zoom400, keyboard: true, check: true, errorOn, switchLang: true, spentCheck: !!opts.spentCheck,
          label: `${pathNames[0]} nl no-JS 400% keyboard` },
        { lang: 'en', js: false, viewport: VIEWPORTS.desktop, keyboard: false, check: true, errorOn, spentCheck: !!opts.spentCheck,
          label: `${pathNames[0]} en no-JS desktop` },
        { lang: 'nl', js: true, viewport: VIEWPORTS.mobile, keyboard: false, checkBack: true,
          label: `${pathNames[0]} nl JS 320px` },
      ].map((w) => ({ ...w, path: main }));
      // Further paths take turns at the other combinations; with none, the
      // main path is walked once more in English with JavaScript.
      const more = [
        { lang: 'en', js: true, viewport: VIEWPORTS.desktop, keyboard: true, checkBack: true },
        { lang: 'nl', js: false, viewport: VIEWPORTS.desktop, keyboard: true },
      ];
      const extra = pathNames.length > 1 ? pathNames.slice(1) : [pathNames[0]];
      extra.forEach((name, i) => {
        const w = more[i % more.length];
        walks.push({ ...w, path: opts.paths[name],
          label: `${name} ${w.lang} ${w.js ? 'JS' : 'no-JS'} ${w.viewport.width}px${w.keyboard ? ' keyboard' : ''}` });
      });
      // The walks are independent (a link each): run them side by side,
      // each checked walk with a checker of its own.
      const limit = Math.max(1, Number(process.env.GEHOORD_BT_WALKS) || 2);
      let free = limit;
      const waiting = [];
      const acquire = () => (free > 0 ? (free--, Promise.resolve()) : new Promise((r) => waiting.push(r)));
      const release = () => (waiting.length ? waiting.shift()() : free++);
      const running = walks.map(async (w) => {
        await acquire();
        try {
          return await runOne(w);
        } finally {
          release();
        }
      });
      async function runOne(w) {
        const t0 = Date.now();
        let checker = null;
        if (w.check) {
          checker = await new Checker(browser, server.base).open();
          checkers.push(checker);
        }
        const done = await walk({ browser, server, model: m, finalHeading: opts.finalHeading, checker, ...w });
        done.seconds = (Date.now() - t0) / 1000;
        return done;
      }
      for (const r of running) r.catch(() => {}); // reported by its subtest
      const problems = [];
      let finished = 0;
      for (let i = 0; i < walks.length; i++) {
        const w = walks[i];
        await t.test(`walk: ${w.label}${w.check ? ', every page checked' : ''}${w.errorOn ? `, with a validation error (${w.errorOn.how} ${w.errorOn.question})` : ''}`, async () => {
          const done = await running[i];
          finished++;
          problems.push(...done.problems);
          t.diagnostic(`${w.label}: ${done.pages.length} pages in ${done.seconds.toFixed(1)} s: ${done.pages.map((p) => JSON.stringify(p.info.sub || p.info.heading)).join(' > ')}`);
        });
      }
      const all = finished === walks.length;
      for (const [cat, title] of CATEGORIES) {
        await t.test(title, { todo: KNOWN[cat] }, () => {
          assert.ok(all, 'not every walk finished, see above');
          const mine = problems.filter((p) => p.cat === cat).map((p) => p.msg);
          assert.equal(mine.length, 0, `${mine.length} problem(s):\n  ${mine.join('\n  ')}`);
        });
      }
      const checked = checkers.reduce((n, c) => n + c.count, 0);
      t.diagnostic(`${file}: ${checked} pages checked, ${walks.length} walks, ${((Date.now() - started) / 1000).toFixed(1)} s`);
    } finally {
      for (const c of checkers) await c.close();
      await browser.close();
      const rc = await server.stop();
      assert.equal(rc, 0, `gehoord serve exited with ${rc}`);
    }
  });
}
