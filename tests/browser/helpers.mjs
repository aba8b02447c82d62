// What every browser test needs: the real `eligo` binary serving a fresh data directory,
// Debian's chromium driven by playwright-core, pages that record console errors, screenshots
// kept in ./screenshots, and axe-core run in each page (a serious or critical violation fails).
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const here = path.dirname(fileURLToPath(import.meta.url));
const repo = path.resolve(here, '../..');
const targetDir = process.env.CARGO_TARGET_DIR ? path.resolve(repo, process.env.CARGO_TARGET_DIR) : path.join(repo, 'target');
export const eligo = process.env.ELIGO_BIN ?? path.join(targetDir, 'debug/eligo');
const chromiumPath = process.env.CHROMIUM ?? '/usr/bin/chromium';
const shots = path.join(here, 'screenshots');
const axeSource = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

export const desktop = { width: 1200, height: 900 };
export const phone = { width: 390, height: 844 };

/// Starts `eligo --data-dir <fresh dir> --quiet <args>` (a command that serves on 127.0.0.1:0)
/// and waits for the address it serves on. `stop()` ends it and deletes the data directory.
export async function startEligo(args) {
  mkdirSync(shots, { recursive: true });
  const dataDir = mkdtempSync(path.join(tmpdir(), 'eligo-browser-'));
  const server = spawn(eligo, ['--data-dir', dataDir, '--quiet', ...args], { stdio: ['ignore', 'pipe', 'inherit'] });
  const base = await new Promise((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error(`eligo did not start: ${out}`)), 120_000);
    server.stdout.on('data', (chunk) => {
      out += chunk;
      const found = out.match(/serving .* on (http:\/\/[0-9.:]+)\//);
      if (found) { clearTimeout(timer); resolve(found[1]); }
    });
    server.on('exit', (code) => { clearTimeout(timer); reject(new Error(`eligo exited with ${code}: ${out}`)); });
  });
  const stop = () => {
    server.kill('SIGTERM');
    rmSync(dataDir, { recursive: true, force: true });
  };
  return { base, dataDir, stop };
}

/// Headless chromium without background traffic.
export function launchBrowser() {
  return chromium.launch({
    executablePath: chromiumPath,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}

/// A page that records console errors and uncaught exceptions in `errors`.
export async function watchedPage(browser, viewport = desktop) {
  const page = await browser.newPage({ viewport });
  const errors = [];
  page.on('console', (message) => { if (message.type() === 'error') errors.push(message.text()); });
  page.on('pageerror', (error) => errors.push(String(error)));
  return { page, errors };
}

/// A full-page screenshot kept as test output.
export async function shot(page, name) {
  await page.screenshot({ path: path.join(shots, `${name}.png`), fullPage: true });
}

/// Runs axe-core in the page (evaluated over the DevTools protocol, so a strict
/// Content-Security-Policy does not stop it) and fails on serious or critical violations.
export async function assertAccessible(page, name) {
  await page.evaluate(axeSource);
  const results = await page.evaluate(() => globalThis.axe.run(document, { resultTypes: ['violations'] }));
  const bad = results.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id} (${v.impact}): ${v.help} — ${v.nodes.slice(0, 3).map((n) => n.target.join(' ')).join(', ')}`);
  assert.deepEqual(bad, [], `${name}: accessibility violations`);
}

/// Screenshots the page, checks it with axe, and at a phone's width checks nothing overflows sideways.
export async function checkPage(page, name) {
  await shot(page, name);
  await assertAccessible(page, name);
  const { width } = page.viewportSize();
  if (width <= phone.width) {
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    assert.ok(overflow <= 1, `${name}: the page is ${overflow}px wider than a phone`);
  }
}
