/** Browser process trees: one main process, helper children, renderers per tab. */
import type { Browser } from './fleet.js';

export interface BrowserProfile {
  readonly image: string;
  readonly main: string;
  /** Helpers started with the main process: [command line, integrity level]. */
  readonly helpers: ReadonlyArray<readonly [string, string]>;
  /** Index in helpers of the process that does the networking (-1: the main process). */
  readonly networkHelper: number;
  renderer(n: number): string;
  readonly rendererIntegrity: string;
}

function chromium(image: string, userData: string, fth: string): BrowserProfile {
  const q = `"${image}"`;
  const common = `--field-trial-handle=${fth},i,17823426918203371,4216391207715204,262144 --variations-seed-version`;
  return {
    image,
    main: q,
    helpers: [
      [`${q} --type=crashpad-handler "--user-data-dir=${userData}" /prefetch:4 --monitor-self-annotation=ptype=crashpad-handler`, 'Medium'],
      [`${q} --type=gpu-process --gpu-preferences=UAAAAAAAAADgAAAMAAAAAAAAAAAAAAAAAABgAAEAAAA4AAAAAAAAAAAAAAAEAAAAAAAAAAAAAAAAAAAAAAAAABAAAAAAAAAAEAAAAAAAAAAIAAAAAAAAAAgAAAAAAAAA --mojo-platform-channel-handle=2036 ${common} /prefetch:2`, 'Low'],
      [`${q} --type=utility --utility-sub-type=network.mojom.NetworkService --lang=fr --service-sandbox-type=none --mojo-platform-channel-handle=2312 ${common} /prefetch:3`, 'Medium'],
      [`${q} --type=utility --utility-sub-type=storage.mojom.StorageService --lang=fr --service-sandbox-type=service --mojo-platform-channel-handle=2548 ${common} /prefetch:8`, 'Medium'],
    ],
    networkHelper: 2,
    renderer: (n) => `${q} --type=renderer --lang=fr --device-scale-factor=1 --num-raster-threads=4 --enable-main-frame-before-activation --renderer-client-id=${n} --time-ticks-at-unix-epoch=-1733846101447161 --launch-time-ticks=${1000000 + n * 7919} --mojo-platform-channel-handle=${3000 + n * 4} ${common} /prefetch:1`,
    rendererIntegrity: 'Untrusted',
  };
}

const FIREFOX = 'C:\\Program Files\\Mozilla Firefox\\firefox.exe';
const ffChild = (n: number, kind: string) =>
  `"${FIREFOX}" -contentproc --channel=${2000 + n * 4} -parentBuildID 20241104134357 -prefsHandle ${1900 + n} -prefMapHandle 1936 -prefsLen 33035 -prefMapSize 244658 -appDir "C:\\Program Files\\Mozilla Firefox\\browser" - {3b1c7a52-9d1e-4a9f-8f2e-6c0b5d7e1a43} 6120 ${n} ${kind}`;

export function browserProfile(browser: Browser, user: string): BrowserProfile {
  switch (browser) {
    case 'chrome':
      return chromium('C:\\Program Files\\Google\\Chrome\\Application\\chrome.exe', `C:\\Users\\${user}\\AppData\\Local\\Google\\Chrome\\User Data`, '1912');
    case 'edge':
      return chromium('C:\\Program Files (x86)\\Microsoft\\Edge\\Application\\msedge.exe', `C:\\Users\\${user}\\AppData\\Local\\Microsoft\\Edge\\User Data`, '2040');
    case 'firefox':
      return {
        image: FIREFOX,
        main: `"${FIREFOX}"`,
        helpers: [[ffChild(1, 'gpu'), 'Low'], [ffChild(2, 'socket'), 'Low'], [ffChild(3, 'utility'), 'Low']],
        networkHelper: -1,
        renderer: (n) => ffChild(4 + n, 'tab'),
        rendererIntegrity: 'Low',
      };
  }
}
