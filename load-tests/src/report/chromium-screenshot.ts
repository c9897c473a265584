/**
 * A PNG of the report is what goes into a pull request, an issue or a chat, where an HTML file would
 * not be opened. Headless Chromium renders the page exactly as a browser shows it, so the picture is
 * the page; it is optional, because not every machine has a Chromium and the HTML is the report.
 */
import { execFile } from 'node:child_process';
import { accessSync, constants, statSync } from 'node:fs';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

export interface ChromiumLookup {
  env?: NodeJS.ProcessEnv;
  /** Absolute paths tried after CHROME_PATH. */
  paths?: readonly string[];
  /** Commands looked up on PATH after those. */
  names?: readonly string[];
}

export const CHROMIUM_PATHS: readonly string[] = ['/usr/bin/chromium'];
export const CHROMIUM_NAMES: readonly string[] = ['chromium', 'chromium-browser', 'google-chrome'];

/** The one line printed when --png finds no browser: what happened and how to get one. */
export const NO_CHROMIUM_NOTE =
  'PNG skipped: no Chromium found (CHROME_PATH, /usr/bin/chromium, or chromium, chromium-browser, ' +
  'google-chrome on PATH); on Debian `apt-get install chromium`, or set CHROME_PATH to a Chrome or Chromium.';

/** The first executable of CHROME_PATH, the fixed paths and the names on PATH; undefined if none. */
export function findChromium(lookup: ChromiumLookup = {}): string | undefined {
  const env = lookup.env ?? process.env;
  const candidates = [
    ...(env.CHROME_PATH ? [env.CHROME_PATH] : []),
    ...(lookup.paths ?? CHROMIUM_PATHS),
    ...(lookup.names ?? CHROMIUM_NAMES).flatMap((name) =>
      (env.PATH ?? '')
        .split(path.delimiter)
        .filter((dir) => dir !== '')
        .map((dir) => path.join(dir, name)),
    ),
  ];
  return candidates.find(isExecutableFile);
}

export interface ScreenshotOptions {
  width?: number;
  height?: number;
  timeoutMs?: number;
}

/**
 * Writes a PNG of the page's first window (1200×900 by default). Chromium runs with a fresh profile
 * in a temporary directory, removed afterwards, and with its background fetching turned off: the
 * report needs no network and the screenshot should not touch any.
 */
export async function screenshotHtml(
  chromium: string,
  htmlPath: string,
  pngPath: string,
  options: ScreenshotOptions = {},
): Promise<void> {
  const { width = 1200, height = 900, timeoutMs = 60_000 } = options;
  const profile = await mkdtemp(path.join(tmpdir(), 'peak-shaving-chromium-'));
  const png = path.resolve(pngPath);
  // A picture left from an earlier run must not pass for this one.
  await rm(png, { force: true });
  try {
    const args = [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
      `--user-data-dir=${profile}`,
      `--screenshot=${png}`,
      `--window-size=${width},${height}`,
      pathToFileURL(path.resolve(htmlPath)).href,
    ];
    const stderr = await new Promise<string>((resolve, reject) => {
      execFile(
        chromium,
        args,
        { timeout: timeoutMs, maxBuffer: 4 * 1024 * 1024 },
        (error, _stdout, errText) => {
          if (error) reject(new Error(`${chromium} failed: ${error.message.trim()}\n${tail(errText)}`));
          else resolve(errText);
        },
      );
    });
    const written = await stat(png).catch(() => undefined);
    if (!written || written.size === 0)
      throw new Error(`${chromium} wrote no screenshot to ${png}\n${tail(stderr)}`);
  } finally {
    await rm(profile, { recursive: true, force: true });
  }
}

function isExecutableFile(file: string): boolean {
  try {
    accessSync(file, constants.X_OK);
    return statSync(file).isFile();
  } catch {
    return false;
  }
}

function tail(text: string): string {
  return text.trim().split('\n').slice(-5).join('\n');
}
