// The desk's casework in a real browser without JavaScript, in Dutch, as
// a desk user works a case: log in, find the case by its reference,
// assign it to herself, write an internal note, reply, close it with an
// outcome and two measures, and record the first aftercare contact. The
// clock's texts are checked after each step; the case page is checked
// once with axe-core at 375 px (the full page-by-page check is
// desk.test.mjs).

import { test } from 'node:test';
import assert from 'node:assert/strict';

import { Checker, launchBrowser, messages } from './lib.mjs';
import {
  DAY, PW, VIEWPORT, addMonths, checkPage, dayText, fileReport, startDesk,
} from './desk_lib.mjs';


test('desk casework: assign, note, reply, close, aftercare', async () => {
  const server = await startDesk();
  const browser = await launchBrowser();
  const checker = await new Checker(browser, server.base).open();
  const m = messages('nl');
  const today = Math.floor(Date.now() / DAY);
  const due = (d) => m['desk.clock.due'].replace('{d}', dayText(d));
  const done = m['desk.clock.done'];
  try {
    await fileReport(server.base);
    const ctx = await browser.newContext({
      javaScriptEnabled: false, viewport: VIEWPORT, locale: 'nl-NL',
    });
    const page = await ctx.newPage();
    // The clock as the case page shows it: {label: value}.
    const clock = async () => Object.fromEntries(await page.$$eval(
      'li.desk-step', (els) => els.map((e) => [
        e.textContent.split(':')[0].trim(),
        e.querySelector('strong').textContent.trim()])));
    const step = (k) => m[`desk.clock.${k}`];

    await page.goto(`${server.base}/login?lang=nl`);
    await page.fill('#name', 'anna');
    await page.fill('#password', PW);
    await page.click('button[type=submit]');
    assert.equal(new URL(page.url()).pathname, '/desk');

    // The inbox names the case by its reference and says it is new.
    const item = page.locator('li.desk-item').first();
    const heading = (await item.locator('h2 a').textContent()).trim();
    const ref = heading.match(/^Zaak ([0-9A-F]{4}-[0-9A-F]{4})$/);
    assert.ok(ref, `the inbox heading "${heading}" is a reference`);
    assert.ok((await item.textContent()).includes(m['desk.case.new']));

    // Found by its reference, typed in lower case without the dash.
    await page.fill('#find-ref', ref[1].replace('-', '').toLowerCase());
    await page.click('form[action="/desk/find"] button[type=submit]');
    assert.match(new URL(page.url()).pathname, /^\/desk\/r\/[0-9a-f]{32}$/);
    assert.equal((await page.textContent('h1')).trim(), heading);
    let c = await clock();
    assert.equal(c[step('ack')], due(today + 7));
    assert.equal(c[step('feedback')], due(addMonths(today, 3)));
    assert.equal(c[step('aftercare1')], undefined);

    // Assigned to herself; an internal note.
    await page.selectOption('#assign-to', { label: 'anna' });
    await page.click('form[action$="/assign"] button[type=submit]');
    assert.equal(await page.$eval('#assign-to', (s) =>
      s.options[s.selectedIndex].text), 'anna');
    await page.fill('#note-text', 'Interne notitie van de browsertest.');
    await page.click('form[action$="/note"] button[type=submit]');
    assert.ok((await page.content()).includes('Interne notitie van de browsertest.'));
    assert.deepEqual(await checkPage(checker, await page.content(), 'case', 'nl'), []);

    // A reply acknowledges; the feedback still runs.
    await page.fill('#text', 'Dank voor je melding.');
    await page.click('form[action$="/reply"] button[type=submit]');
    c = await clock();
    assert.equal(c[step('ack')], done);
    assert.equal(c[step('feedback')], due(addMonths(today, 3)));

    // Closing without an outcome is refused and says why.
    await page.selectOption('#new-status', 'closed');
    await page.check('#measure-mediation');
    await page.fill('#outcome', 'We hebben met beide partijen gesproken.');
    await page.click('form[action$="/status"] button[type=submit]');
    assert.ok((await page.content()).includes(m['desk.status.need_result']));
    c = await clock();
    assert.equal(c[step('aftercare1')], undefined);

    // With an outcome and two measures it closes: feedback done,
    // aftercare runs from today.
    await page.selectOption('#new-status', 'closed');
    await page.selectOption('#result', 'founded');
    await page.check('#measure-mediation');
    await page.check('#measure-confidential_adviser');
    await page.fill('#outcome', 'We hebben met beide partijen gesproken.');
    await page.click('form[action$="/status"] button[type=submit]');
    const body = await page.content();
    assert.ok(body.includes(m['desk.status.closed']));
    assert.ok(body.includes(m['desk.outcome.founded']));
    assert.ok(body.includes(m['desk.measure.confidential_adviser']));
    c = await clock();
    assert.equal(c[step('feedback')], done);
    assert.equal(c[step('aftercare1')], due(addMonths(today, 1)));
    assert.equal(c[step('aftercare3')], due(addMonths(today, 3)));

    // Aftercare before its day needs the confirmation.
    await page.click('form[action$="/aftercare"] button[value="1"]');
    assert.ok((await page.content()).includes(m['desk.aftercare.early']));
    assert.equal((await clock())[step('aftercare1')], due(addMonths(today, 1)));
    await page.check('#after-confirm');
    await page.click('form[action$="/aftercare"] button[value="1"]');
    c = await clock();
    assert.equal(c[step('aftercare1')], done);
    assert.equal(c[step('aftercare3')], due(addMonths(today, 3)));

    // The inbox: assigned to anna, nothing new, found by "assigned to me".
    await page.goto(`${server.base}/desk?lang=nl&assigned=me`);
    const mine = page.locator('li.desk-item').first();
    assert.equal((await mine.locator('h2 a').textContent()).trim(), heading);
    assert.ok(!(await mine.textContent()).includes(m['desk.case.new']));
    await ctx.close();
  } finally {
    await checker.close();
    await browser.close();
    assert.equal(await server.stop(), 0);
  }
});
