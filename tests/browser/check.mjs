#!/usr/bin/env node
// Real-browser check of the built report pages in one folder (reports/<year>/).
//
//   node tests/browser/check.mjs reports/2024-25 [--out FILE] [--check-dir DIR] [--pages a.html,b.html]
//
// The pages are every *.html in the folder and its subfolders (subgroups/), named by their
// path in it; a year folder inside it (reports/2024-25 inside reports/) is checked on its
// own run, and _check/ holds this check's own output. Pass --pages to choose.
// For every page (one Chromium for all of them) it records:
//   requests    every request whose URL is not file: or data: (each is blocked, so none leaves)
//   console     console errors and uncaught page errors
//   widths      at 1280x800 and 400x800: scrollWidth vs innerWidth, and the (outermost)
//               elements sticking out past the right edge, widest first
//   viewport    the <meta name="viewport"> content (a phone lays a page out at 980 px without it)
//   axe         axe-core violations for wcag2a, wcag2aa, wcag21a, wcag21aa
//   pdf         page.pdf({preferCSSPageSize: true}) and each PDF page's MediaBox size in pt
// Screenshots (full page, both widths) and PDFs go to DIR (default <folder>/_check/), in
// the page's own subfolder;
// the JSON report goes to stdout and to DIR/report.json (or --out).
// Exit status: 0 when the report was written (whatever it found), 2 on a usage error,
// 1 when the check itself could not run.

import { mkdtempSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import puppeteer from 'puppeteer-core';

const require = createRequire(import.meta.url);
const AXE_SOURCE = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');
const AXE_VERSION = require('axe-core/package.json').version;
const PUPPETEER_VERSION = require('puppeteer-core/package.json').version;

const AXE_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];
const WIDTHS = [1280, 400];
const HEIGHT = 800;
const TIMEOUT_MS = 60_000;
const MAX_SHOT_HEIGHT = 16_000;
const CHROME_ARGS = [
  '--headless=new',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-dev-shm-usage',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-default-apps',
  '--disable-extensions',
  '--no-first-run',
  '--no-default-browser-check',
  '--hide-scrollbars',
  '--font-render-hinting=none',
];

function usage(message) {
  process.stderr.write(`check.mjs: ${message}\n`
    + 'usage: node check.mjs PAGES_DIR [--out FILE] [--check-dir DIR] [--pages a.html,b.html]\n');
  process.exit(2);
}

function parseArgs(argv) {
  const args = { dir: null, out: null, checkDir: null, pages: null };
  for (let i = 0; i < argv.length; i += 1) {
    const arg = argv[i];
    const value = () => {
      if (i + 1 >= argv.length) usage(`${arg} needs a value`);
      i += 1;
      return argv[i];
    };
    if (arg === '--out') args.out = value();
    else if (arg === '--check-dir') args.checkDir = value();
    else if (arg === '--pages') args.pages = value().split(',').filter(Boolean);
    else if (arg.startsWith('--')) usage(`unknown option ${arg}`);
    else if (args.dir === null) args.dir = arg;
    else usage(`unexpected argument ${arg}`);
  }
  if (args.dir === null) usage('PAGES_DIR is required');
  args.dir = path.resolve(args.dir);
  args.checkDir = path.resolve(args.checkDir ?? path.join(args.dir, '_check'));
  args.out = path.resolve(args.out ?? path.join(args.checkDir, 'report.json'));
  return args;
}

const YEAR_FOLDER = /^\d{4}-\d{2}$/;

// The pages under dir, as paths relative to it with '/' separators, sorted.
function findPages(dir, prefix = '') {
  const pages = [];
  for (const entry of readdirSync(path.join(dir, prefix), { withFileTypes: true })) {
    const rel = prefix ? `${prefix}/${entry.name}` : entry.name;
    if (entry.isDirectory()) {
      if (entry.name !== '_check' && !YEAR_FOLDER.test(entry.name)) pages.push(...findPages(dir, rel));
    } else if (/\.html?$/.test(entry.name)) {
      pages.push(rel);
    }
  }
  return pages.sort();
}

const isLocal = (url) => url.startsWith('file:') || url.startsWith('data:');

// Each PDF page's MediaBox as [width, height] in pt. Chromium (Skia) writes page
// dictionaries uncompressed, so a text scan of the bytes finds them.
function pdfPageSizes(buffer) {
  const text = buffer.toString('latin1');
  const sizes = [];
  const re = /\/MediaBox\s*\[\s*([-\d.]+)\s+([-\d.]+)\s+([-\d.]+)\s+([-\d.]+)\s*\]/g;
  for (let m = re.exec(text); m !== null; m = re.exec(text)) {
    const [x0, y0, x1, y1] = m.slice(1).map(Number);
    sizes.push([Math.round((x1 - x0) * 100) / 100, Math.round((y1 - y0) * 100) / 100]);
  }
  return sizes;
}

// Runs in the page: layout widths and the elements that stick out past the right edge.
function measureWidth() {
  const doc = document.documentElement;
  const limit = window.innerWidth;
  const overflowing = [];
  if (doc.scrollWidth > limit) {
    const describe = (el) => {
      let s = el.tagName.toLowerCase();
      if (el.id) s += `#${el.id}`;
      const cls = typeof el.className === 'string' ? el.className.trim().split(/\s+/).filter(Boolean) : [];
      if (cls.length) s += `.${cls.slice(0, 3).join('.')}`;
      return s;
    };
    for (const el of document.body.querySelectorAll('*')) {
      const right = el.getBoundingClientRect().right + window.scrollX;
      // Report the outermost offenders only: skip elements whose parent already sticks out.
      const parent = el.parentElement;
      const parentRight = parent ? parent.getBoundingClientRect().right + window.scrollX : 0;
      if (right > limit + 0.5 && !(parent && parent !== document.body && parentRight > limit + 0.5)) {
        // The heading just before it, to say which of many similar tables it is.
        let near = null;
        for (let sib = el.previousElementSibling, n = 0; sib && n < 5; sib = sib.previousElementSibling, n += 1) {
          if (/^H[1-6]$/.test(sib.tagName)) {
            near = sib.textContent.trim().slice(0, 80);
            break;
          }
        }
        overflowing.push({ element: describe(el), near, right: Math.round(right) });
      }
    }
  }
  overflowing.sort((a, b) => b.right - a.right);
  return {
    innerWidth: limit,
    scrollWidth: doc.scrollWidth,
    horizontalScroll: doc.scrollWidth > limit,
    overflowing_count: overflowing.length,
    overflowing: overflowing.slice(0, 10),
  };
}

async function settle(page) {
  await page.evaluate(async () => {
    await document.fonts.ready;
    await new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve)));
  });
}

// Runs axe once for the WCAG tags plus best-practice; only WCAG violations count, the
// best-practice ones are reported as advice.
async function runAxe(page) {
  await page.evaluate(AXE_SOURCE);
  const res = await page.evaluate(async (tags) => {
    const out = await window.axe.run(document, {
      runOnly: { type: 'tag', values: tags },
      resultTypes: ['violations'],
      // No CSSOM preload: it re-fetches stylesheets, which would show up as the page's requests.
      preload: false,
    });
    return out.violations.map((v) => ({
      id: v.id,
      impact: v.impact,
      help: v.help,
      helpUrl: v.helpUrl,
      tags: v.tags,
      count: v.nodes.length,
      targets: v.nodes.slice(0, 5).map((n) => n.target.join(' ')),
      html: v.nodes.slice(0, 2).map((n) => n.html.slice(0, 200)),
    }));
  }, [...AXE_TAGS, 'best-practice']);
  const isWcag = (v) => v.tags.some((t) => AXE_TAGS.includes(t));
  return { violations: res.filter(isWcag), best_practice: res.filter((v) => !isWcag(v)) };
}

// Full-page screenshot; Chromium refuses captures taller than about 16k px, so a longer
// page is cut at MAX_SHOT_HEIGHT and says so.
async function screenshot(page, checkDir, stem, width) {
  const file = path.join(checkDir, `${stem}-${width}.png`);
  mkdirSync(path.dirname(file), { recursive: true });
  const height = await page.evaluate(() => document.documentElement.scrollHeight);
  const fullWidth = await page.evaluate(() => document.documentElement.scrollWidth);
  if (height <= MAX_SHOT_HEIGHT) {
    await page.screenshot({ path: file, fullPage: true, captureBeyondViewport: true });
    return { path: file, page_height: height, truncated: false };
  }
  await page.screenshot({
    path: file,
    captureBeyondViewport: true,
    clip: { x: 0, y: 0, width: fullWidth, height: MAX_SHOT_HEIGHT },
  });
  return { path: file, page_height: height, truncated: true };
}

async function checkPage(browser, dir, name, checkDir) {
  const file = path.join(dir, name);
  const stem = name.replace(/\.html?$/, '');
  const url = pathToFileURL(file).href;
  const result = {
    page: name,
    url,
    requests: [],
    console_errors: [],
    page_errors: [],
    failed_local_requests: [],
    viewport_meta: null,
    widths: {},
    screenshots: {},
    axe: null,
    pdf: null,
    errors: {},
    step_seconds: {},
    seconds: 0,
  };
  const started = Date.now();
  const blocked = new Set();
  // The page is loaded once per width: keep each finding once, counting repeats.
  const seen = new Map();
  const record = (list, entry) => {
    const key = `${list}\u0000${JSON.stringify(entry)}`;
    if (seen.has(key)) {
      seen.get(key).seen += 1;
      return;
    }
    const item = { ...entry, seen: 1 };
    seen.set(key, item);
    result[list].push(item);
  };
  const page = await browser.newPage();
  page.setDefaultTimeout(TIMEOUT_MS);
  page.setDefaultNavigationTimeout(TIMEOUT_MS);
  try {
    await page.setRequestInterception(true);
    page.on('request', (request) => {
      const reqUrl = request.url();
      if (isLocal(reqUrl)) {
        request.continue().catch(() => {});
        return;
      }
      blocked.add(reqUrl);
      const frame = request.frame();
      record('requests', {
        url: reqUrl,
        type: request.resourceType(),
        method: request.method(),
        frame: frame ? frame.url() : null,
      });
      request.abort('blockedbyclient').catch(() => {});
    });
    page.on('requestfailed', (request) => {
      const reqUrl = request.url();
      if (isLocal(reqUrl) && !reqUrl.startsWith('data:')) {
        record('failed_local_requests', { url: reqUrl, error: request.failure()?.errorText ?? null });
      }
    });
    page.on('console', (msg) => {
      if (msg.type() !== 'error') return;
      const loc = msg.location() ?? {};
      // A request we blocked is already in `requests`; its "Failed to load resource" echo is not
      // a second problem.
      if (/ERR_BLOCKED_BY_CLIENT/.test(msg.text()) && loc.url && blocked.has(loc.url)) return;
      record('console_errors', {
        text: msg.text(),
        url: loc.url ?? null,
        line: loc.lineNumber ?? null,
      });
    });
    page.on('pageerror', (error) => {
      record('page_errors', { message: String(error?.message ?? error) });
    });

    // Each step records its own error, so one broken step does not hide the others.
    const step = async (name, fn) => {
      const stepStarted = Date.now();
      try {
        return await fn();
      } catch (error) {
        result.errors[name] = String(error?.message ?? error).split('\n')[0];
        return null;
      } finally {
        result.step_seconds[name] = Math.round((Date.now() - stepStarted) / 100) / 10;
      }
    };
    for (const width of WIDTHS) {
      await page.setViewport({ width, height: HEIGHT, deviceScaleFactor: 1 });
      // Load afresh at each width, as a reader's browser would, rather than resizing.
      const loadStarted = Date.now();
      await page.goto(url, { waitUntil: 'load' });
      await settle(page);
      result.step_seconds[`load-${width}`] = Math.round((Date.now() - loadStarted) / 100) / 10;
      result.widths[width] = await step(`width-${width}`, () => page.evaluate(measureWidth));
      if (width === WIDTHS[0]) {
        result.viewport_meta = await page.evaluate(() => {
          const meta = document.querySelector('meta[name="viewport"]');
          return meta ? meta.getAttribute('content') : null;
        });
        result.axe = await step('axe', () => runAxe(page));
      }
      result.screenshots[width] = await step(`screenshot-${width}`, () => screenshot(page, checkDir, stem, width));
    }
    result.pdf = await step('pdf', async () => {
      const pdfPath = path.join(checkDir, `${stem}.pdf`);
      mkdirSync(path.dirname(pdfPath), { recursive: true });
      const buffer = Buffer.from(await page.pdf({
        path: pdfPath,
        preferCSSPageSize: true,
        printBackground: true,
        timeout: TIMEOUT_MS,
      }));
      const sizes = pdfPageSizes(buffer);
      return { path: pdfPath, pages: sizes.length, page_sizes_pt: sizes };
    });
  } catch (error) {
    result.errors.load = String(error?.message ?? error).split('\n')[0];
  } finally {
    await page.close().catch(() => {});
    result.seconds = Math.round((Date.now() - started) / 100) / 10;
  }
  return result;
}

async function main() {
  const args = parseArgs(process.argv.slice(2));
  const executablePath = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
  let pages;
  try {
    pages = args.pages ?? findPages(args.dir);
  } catch (error) {
    usage(`cannot read ${args.dir}: ${error.message}`);
  }
  if (pages.length === 0) usage(`no .html pages in ${args.dir}`);
  mkdirSync(args.checkDir, { recursive: true });

  const started = Date.now();
  const userDataDir = mkdtempSync(path.join(tmpdir(), 'lscp-chromium-'));
  let browser;
  const report = {
    pages_dir: args.dir,
    check_dir: args.checkDir,
    chromium: null,
    puppeteer_core: PUPPETEER_VERSION,
    axe_core: AXE_VERSION,
    axe_tags: AXE_TAGS,
    widths: WIDTHS,
    results: [],
    seconds: 0,
  };
  try {
    browser = await puppeteer.launch({
      executablePath,
      headless: true,
      userDataDir,
      args: CHROME_ARGS,
      protocolTimeout: 120_000,
    });
    report.chromium = await browser.version();
    for (const name of pages) {
      report.results.push(await checkPage(browser, args.dir, name, args.checkDir));
    }
  } finally {
    if (browser) await browser.close().catch(() => {});
    rmSync(userDataDir, { recursive: true, force: true });
  }
  report.seconds = Math.round((Date.now() - started) / 100) / 10;
  const json = JSON.stringify(report, null, 2);
  mkdirSync(path.dirname(args.out), { recursive: true });
  writeFileSync(args.out, `${json}\n`);
  process.stdout.write(`${json}\n`);
}

main().catch((error) => {
  process.stderr.write(`check.mjs: ${error?.stack ?? error}\n`);
  process.exit(1);
});
