/**
 * The report in a real browser: Debian's Chromium opens index.html from disk, driven by playwright-core. The
 * inline SVG and layout must survive an actual HTML parser, nothing may be fetched (the CSP forbids it, and a
 * refused fetch would be a console error), and every figure with data must draw its marks.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, copyFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium } from 'playwright-core';
import { buildFigures, renderReport } from '../src/index.js';
import { studyCampaign } from './report-fixture.js';

const CHROMIUM = process.env['GAUGENN_CHROMIUM'] ?? '/usr/bin/chromium';
const noChromium = existsSync(CHROMIUM) ? undefined : `${CHROMIUM} not found (Debian/Ubuntu: apt-get install -y chromium)`;
if (noChromium) process.stderr.write(`[skip] report browser test: ${noChromium}\n`);

const made: string[] = [];
afterAll(async () => {
  for (const d of made) await rm(d, { recursive: true, force: true });
});

describe('report in Chromium', () => {
  it.skipIf(noChromium)('opens with no console errors and draws every figure with data', async () => {
    const out = await mkdtemp(join(tmpdir(), 'gaugenn-report-browser-'));
    made.push(out);
    const data = studyCampaign();
    const { htmlPath } = await renderReport(data, out);
    const browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox', '--disable-gpu'] });
    try {
      const page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
      const errors: string[] = [];
      const requests: string[] = [];
      page.on('console', (m) => { if (m.type() === 'error' || m.type() === 'warning') errors.push(`${m.type()}: ${m.text()}`); });
      page.on('pageerror', (e) => errors.push(`pageerror: ${e.message}`));
      page.on('request', (r) => { if (!r.url().startsWith('file:')) requests.push(r.url()); });
      await page.goto(pathToFileURL(htmlPath).href, { waitUntil: 'load' });

      const figures = await page.$$eval('figure[data-figure]', (fs) =>
        fs.map((f) => {
          const svg = f.querySelector('svg');
          const box = svg?.getBoundingClientRect();
          return {
            id: (f as HTMLElement).dataset['figure']!,
            state: (f as HTMLElement).dataset['state']!,
            width: box?.width ?? 0,
            height: box?.height ?? 0,
            // Drawn marks: Vega names each mark group `mark-<type>`; a figure with data has at least one with children.
            marks: svg ? [...svg.querySelectorAll('g[class^="mark-"]')].filter((g) => g.childElementCount > 0).length : 0,
          };
        }),
      );
      const ids = buildFigures(data).map((f) => f.id);
      expect(figures.map((f) => f.id)).toEqual(ids);
      for (const f of figures) {
        expect(f.state, f.id).toBe('data');
        expect(f.width, f.id).toBeGreaterThan(100);
        expect(f.height, f.id).toBeGreaterThan(50);
        expect(f.marks, f.id).toBeGreaterThan(0);
      }
      expect(await page.textContent('#lineage')).toContain('fine-tuned');
      expect(await page.textContent('#snapshots')).toContain('com.fit.coach');
      const png = join(out, 'report.png');
      await page.screenshot({ path: png, fullPage: true });
      const bytes = await readFile(png);
      expect(bytes.subarray(1, 4).toString('latin1')).toBe('PNG');
      expect(bytes.length).toBeGreaterThan(100_000); // a blank page is a few KB; fifteen figures and the tables are far more
      if (process.env['GAUGENN_REPORT_SCREENSHOT']) {
        await copyFile(png, process.env['GAUGENN_REPORT_SCREENSHOT']);
        await copyFile(htmlPath, process.env['GAUGENN_REPORT_SCREENSHOT'].replace(/\.png$/, '.html'));
      }
      expect(errors).toEqual([]);
      expect(requests).toEqual([]);
    } finally {
      await browser.close();
    }
  });
});
