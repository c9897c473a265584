/**
 * Turns a run file into the report a person looks at, from the command line or from the code that
 * just finished a load test:
 *
 *   node -r @swc-node/register load-tests/src/report/render-report.cli.ts <run.json> [--out report.html] [--png]
 *   npm run load:report -- load-tests/results/<run>.json --png
 *
 * The HTML lands next to the run file (same name, .html) unless --out says otherwise, and its path is
 * printed. --png also screenshots it with a headless Chromium when one is installed; without one it
 * says so in one line and still succeeds, since the HTML is the report. A missing, broken or wrong run
 * file is one clear sentence and exit code 1.
 */
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { type ChromiumLookup, findChromium, NO_CHROMIUM_NOTE, screenshotHtml } from './chromium-screenshot';
import { renderPeakShavingReport } from './peak-shaving-report';
import { readRunFile, RunFileError } from './run-file';

export interface RenderReportOptions {
  /** Also write a PNG screenshot beside the HTML, if a Chromium can be found. */
  png?: boolean;
  /** Where the HTML goes; default: the run file's path with .html instead of .json. */
  out?: string;
  /** Where to look for a Chromium; default: CHROME_PATH, /usr/bin/chromium, then PATH. */
  chromium?: ChromiumLookup;
}

export interface RenderedReport {
  htmlPath: string;
  /** Set when a PNG was written. */
  pngPath?: string;
  /** Set when a PNG was asked for but no Chromium was found: the line to tell the user. */
  pngSkipped?: string;
}

/** Reads and checks the run, writes the HTML (and the PNG), and says where they are. */
export async function renderReportFiles(
  runJsonPath: string,
  options: RenderReportOptions = {},
): Promise<RenderedReport> {
  const run = await readRunFile(runJsonPath);
  const htmlPath = options.out ?? defaultHtmlPath(runJsonPath);
  await writeFile(htmlPath, renderPeakShavingReport(run), 'utf8');
  if (!options.png) return { htmlPath };

  const chromium = findChromium(options.chromium);
  if (!chromium) return { htmlPath, pngSkipped: NO_CHROMIUM_NOTE };
  const pngPath = replaceExtension(htmlPath, '.html', '.png');
  await screenshotHtml(chromium, htmlPath, pngPath);
  return { htmlPath, pngPath };
}

/** results/run-1.json → results/run-1.html; a name without .json gets .html added. */
export function defaultHtmlPath(runJsonPath: string): string {
  return replaceExtension(runJsonPath, '.json', '.html');
}

function replaceExtension(file: string, from: string, to: string): string {
  return path.extname(file).toLowerCase() === from ? file.slice(0, -from.length) + to : file + to;
}

const USAGE =
  'usage: node -r @swc-node/register load-tests/src/report/render-report.cli.ts <run.json> [--out report.html] [--png]';

async function main(argv: readonly string[]): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args: [...argv],
      allowPositionals: true,
      options: {
        out: { type: 'string', short: 'o' },
        png: { type: 'boolean', default: false },
        help: { type: 'boolean', short: 'h', default: false },
      },
    });
  } catch (error) {
    console.error(`${(error as Error).message}\n${USAGE}`);
    return 1;
  }
  if (parsed.values.help) {
    console.log(USAGE);
    return 0;
  }
  if (parsed.positionals.length !== 1) {
    console.error(
      `${parsed.positionals.length === 0 ? 'no run file given' : 'one run file at a time'}\n${USAGE}`,
    );
    return 1;
  }

  try {
    const report = await renderReportFiles(parsed.positionals[0], {
      png: parsed.values.png,
      out: parsed.values.out,
    });
    console.log(report.htmlPath);
    if (report.pngPath) console.log(report.pngPath);
    if (report.pngSkipped) console.log(report.pngSkipped);
    return 0;
  } catch (error) {
    console.error(
      error instanceof RunFileError ? error.message : `report failed: ${(error as Error).message}`,
    );
    return 1;
  }
}

if (require.main === module) {
  void main(process.argv.slice(2)).then((code) => {
    process.exitCode = code;
  });
}
