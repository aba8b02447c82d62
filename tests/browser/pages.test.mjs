// Click-through tests of Eligo's pages in a real browser: Debian's chromium
// driven by playwright-core. A fresh demo data directory is served by the
// real `eligo` binary; every page and every question step is screenshotted
// into ./screenshots, at a desktop and at a phone's width; axe-core checks
// every page for accessibility (a serious or critical violation fails); any
// console error or uncaught page error fails the test.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { checkPage, launchBrowser, phone, shot, startEligo, watchedPage as openPage } from './helpers.mjs';

let eligo;
let base;
let browser;

before(async () => {
  eligo = await startEligo(['demo', '--count', '300', '--addr', '127.0.0.1:0']);
  base = eligo.base;
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  eligo?.stop();
});

const watchedPage = (viewport) => openPage(browser, viewport);

/// Answers one step: an age when asked; on the first step everything else "Not sure" (so that
/// more steps follow), on later ones "No" where offered.
async function answerStep(page, step) {
  const age = page.locator('input[type=number][name="a.age"]');
  if (await age.count()) await age.fill('45');
  if (step === 1) return;
  const noes = page.getByLabel('No', { exact: true });
  for (let i = 0; i < await noes.count(); i++) await noes.nth(i).check();
}

/// Wording the questions engine used before the plain-language builder: no page may show it.
const oldWording = /Have you been diagnosed with|What was your most recent|Have you received|Do you currently have active/;
/// The engine's own reasons ("no record of …", "age 45 years; required …"): the person's result
/// says each rule in plain words instead.
const engineReasons = /no record of|not recorded|recorded as|not computable|; required|confirm at screening/;

/// Every question on a step is one a person can answer: none lists an elided "…", none asks
/// about a bare generic word, none keeps the engine's old wording.
async function assertAnswerable(page, name) {
  const questions = await page.locator('form legend, form .field > label').allTextContents();
  for (const question of questions) {
    assert.doesNotMatch(question, /…|\.\.\./, `${name}: an elided list is asked: ${question}`);
    // A bare generic word is the whole thing asked about ("that you have disease?"); a named
    // one ("celiac disease?") is a real question.
    assert.doesNotMatch(question, / (have|had|any|of|with) (an? |any )?(involvement|disease|procedures|infection)\?$/i, `${name}: a generic word is asked: ${question}`);
    assert.doesNotMatch(question, oldWording, `${name}: old wording: ${question}`);
  }
}

/// Clicks through the steps of a check form until the result shows; returns how many steps it took.
async function stepThrough(page, prefix, finishedText) {
  for (let step = 1; step <= 12; step++) {
    if (!(await page.getByRole('button', { name: 'Next' }).count())) return step - 1;
    assert.ok(await page.locator('fieldset, .field').count() <= 8, 'at most 8 questions a step');
    await assertAnswerable(page, `${prefix}-step-${step}`);
    await answerStep(page, step);
    await checkPage(page, `${prefix}-step-${step}`);
    await page.getByRole('button', { name: 'Next' }).click();
    await page.waitForSelector('h1');
  }
  assert.fail(`${prefix}: still asking after 12 steps (${finishedText})`);
}

test('find → trial → check eligibility → verdict', async () => {
  const { page, errors } = await watchedPage();
  await page.goto(base + '/');
  await page.selectOption('#status', 'open');
  await checkPage(page, '0-find-empty');
  await page.fill('#age', '45');
  await page.getByRole('button', { name: 'Search' }).click();
  await page.waitForSelector('ol.results li');
  assert.match(await page.textContent('main'), /trials found/);
  assert.equal(new URL(page.url()).search, '', 'the age searched for is not in the address');
  assert.match(await page.textContent('ol.results li'), /Ages: /);
  await checkPage(page, '1-find');

  // Results that score alike may come in either order (the index is written by two threads), and
  // a trial whose open rules fit in one step is finished after it: check the first results until
  // one asks in several steps, as a trial with many open rules does.
  const findUrl = page.url();
  const links = await page.locator('ol.results li a').count();
  let steps = 0;
  for (let k = 0; k < Math.min(links, 5) && steps < 2; k++) {
    if (k > 0) {
      await page.goto(findUrl);
      await page.fill('#age', '45');
      await page.getByRole('button', { name: 'Search' }).click();
      await page.waitForSelector('ol.results li');
    }
    await page.locator('ol.results li a').nth(k).click();
    await page.waitForSelector('h1');
    assert.match(await page.textContent('.card'), /What is being tested/);
    assert.match(await page.textContent('.card'), /Reading level: grade/);
    await checkPage(page, '2-trial');

    await page.getByRole('link', { name: /Check if I may qualify/ }).click();
    await page.waitForSelector('form[method=post]');
    steps = await stepThrough(page, '3-check', 'one trial');
    await page.waitForSelector('text=Your result');
  }
  assert.ok(steps >= 2, `several steps of questions (${steps}) for one of the first results`);
  assert.equal(new URL(page.url()).search, '', 'no answer is in the address');
  assert.match(await page.textContent('.verdict'), /qualify/);
  const verdict = await page.textContent('main');
  assert.doesNotMatch(verdict, oldWording, 'the verdict words questions as the steps do');
  assert.doesNotMatch(verdict, engineReasons, 'the verdict says rules in plain words, not the engine\'s reasons');
  assert.match(verdict, /From your answers, /, 'each settled rule says what the answers make of it');
  const sentences = await page.locator('ul.checklist details.why p').allTextContents();
  assert.equal(new Set(sentences).size, sentences.length, 'each sentence of the criteria is one line');
  await checkPage(page, '4-verdict');
  assert.deepEqual(errors, []);
});

test('find → check a page of results with one form → verdicts', async () => {
  const { page, errors } = await watchedPage();
  await page.goto(base + '/');
  await page.fill('#q', 'diabetes');
  await page.getByRole('button', { name: 'Search' }).click();
  await page.waitForSelector('ol.results li');
  await page.getByRole('button', { name: /Check which of these trials/ }).click();
  await page.waitForSelector('form[method=post] fieldset, form[method=post] .field');
  await stepThrough(page, '9-check-search', 'a page of results');
  await page.waitForSelector('text=Trials you may qualify for');
  assert.ok(await page.locator('ol.results li .badge').count() > 0, 'each trial has a verdict');
  await checkPage(page, '10-check-search-verdicts');
  assert.deepEqual(errors, []);
});

test('the trial page reads on a phone without JavaScript', async () => {
  const context = await browser.newContext({ javaScriptEnabled: false, viewport: phone });
  const page = await context.newPage();
  const response = await page.goto(base + '/?status=open');
  assert.equal(response.status(), 200);
  const href = await page.locator('ol.results li a').first().getAttribute('href');
  const trial = await page.goto(base + href);
  assert.ok((await trial.body()).length < 100 * 1024, 'trial page under 100 KB');
  assert.match(await page.textContent('.card'), /Who can join/);
  await shot(page, '5-trial-phone');
  // The check steps are plain form posts.
  await page.getByRole('link', { name: /Check if I may qualify/ }).click();
  await page.waitForSelector('h1');
  if (await page.getByRole('button', { name: 'Next' }).count()) {
    await page.getByRole('button', { name: 'Next' }).click();
    await page.waitForSelector('h1');
  }
  assert.match(await page.textContent('h1'), /qualify|Your result/);
  await shot(page, '5-check-without-javascript');
  await context.close();
});

test('screen a patient from a note', async () => {
  const { page, errors } = await watchedPage();
  const note = '58-year-old woman with type 2 diabetes mellitus and hypertension. No history of cancer.';
  await page.goto(base + '/screen');
  await page.fill('#patient', note);
  await checkPage(page, '6-screen-form');
  await page.getByRole('button', { name: 'Find matching trials' }).click();
  await page.waitForSelector('text=Matching trials');
  await shot(page, '7-screen-results');
  const first = page.locator('details').first();
  await first.locator('summary').click();
  assert.match(await first.textContent(), /Not met or excluding|Met or not excluding|Still open/);
  await checkPage(page, '7-screen-results');
  assert.deepEqual(errors, []);
});

test('screen a patient from an uploaded FHIR bundle', async () => {
  const { page, errors } = await watchedPage();
  const bundle = {
    resourceType: 'Bundle', type: 'collection',
    entry: [
      { resource: { resourceType: 'Patient', gender: 'male', birthDate: '1961-04-02' } },
      { resource: { resourceType: 'Condition', clinicalStatus: { coding: [{ code: 'active' }] },
        code: { text: 'Type 2 diabetes mellitus', coding: [{ system: 'http://hl7.org/fhir/sid/icd-10-cm', code: 'E11.9' }] } } },
    ],
  };
  await page.goto(base + '/screen');
  await page.setInputFiles('#file', { name: 'bundle.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify(bundle)) });
  await page.waitForFunction(() => document.getElementById('patient').value.includes('"Bundle"'));
  await page.getByRole('button', { name: 'Find matching trials' }).click();
  await page.waitForSelector('text=Matching trials');
  await shot(page, '8-screen-fhir-results');
  assert.ok(await page.locator('details').count() > 0, 'trials listed for the bundle');
  assert.deepEqual(errors, []);
});

test('every page at a phone\'s width: laid out for it and accessible', async () => {
  const { page, errors } = await watchedPage(phone);
  await page.goto(base + '/');
  await page.fill('#q', 'diabetes');
  await page.getByRole('button', { name: 'Search' }).click();
  await page.waitForSelector('ol.results li');
  await checkPage(page, 'phone-1-find');
  await page.locator('ol.results li a').first().click();
  await page.waitForSelector('.card');
  await checkPage(page, 'phone-2-trial');
  await page.getByRole('link', { name: /Check if I may qualify/ }).click();
  await page.waitForSelector('h1');
  await stepThrough(page, 'phone-3-check', 'one trial on a phone');
  await checkPage(page, 'phone-4-verdict');
  await page.goto(base + '/screen');
  await checkPage(page, 'phone-5-screen');
  await page.goto(base + '/no-such-page');
  await checkPage(page, 'phone-6-not-found');
  assert.deepEqual(errors.filter((e) => !e.includes('404')), []);
});
