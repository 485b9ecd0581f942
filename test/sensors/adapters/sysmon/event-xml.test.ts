import { describe, expect, it } from 'vitest';
import { decodeEntities, readDataElements, readEventXml } from '../../../../sensors/adapters/sysmon/event-xml.js';

describe('Sysmon event XML', () => {
  const xml =
    '<Event><System><Provider Name="Linux-Sysmon" Guid="{00000000-0000-0000-0000-000000000000}"/><EventID>3</EventID>' +
    '<TimeCreated SystemTime="2024-05-02T12:00:06.100000000Z"/><Channel>Linux-Sysmon/Operational</Channel>' +
    '<Computer>host-a</Computer></System><EventData><Data Name="RuleName">-</Data>' +
    '<Data Name="CommandLine">sh -c &quot;a &amp;&amp; b &lt; c&quot; &#65;&#x42;</Data><Data Name="Empty"/></EventData></Event>';

  it('reads the System part and every Data element', () => {
    expect(readEventXml(`sysmon: ${xml}`)).toEqual({
      eventId: 3,
      channel: 'Linux-Sysmon/Operational',
      provider: 'Linux-Sysmon',
      computer: 'host-a',
      systemTime: '2024-05-02T12:00:06.100000000Z',
      data: { RuleName: '-', CommandLine: 'sh -c "a && b < c" AB', Empty: '' },
    });
  });

  it('returns undefined without an Event element and reads bare EventData', () => {
    expect(readEventXml('type=EXECVE a0="ls"')).toBeUndefined();
    expect(readDataElements('<EventData>\n  <Data Name="ProcessID">42</Data>\n</EventData>')).toEqual({ ProcessID: '42' });
  });

  it('leaves unknown entities alone', () => {
    expect(decodeEntities('a &nbsp; b &amp;')).toBe('a &nbsp; b &');
  });
});
