/**
 * Reads the Windows event XML that Sysmon for Linux writes to syslog (and that some shippers keep
 * as an `EventData` string): `<Event><System>...</System><EventData><Data Name="X">v</Data>...`.
 *
 * This is not a general XML parser: the text is machine-written by one schema, so a few anchored
 * patterns are enough and keep the adapter dependency-free. CDATA sections and nested markup
 * inside a `<Data>` value are not supported (Sysmon escapes `<` and `&` as entities instead).
 */

export interface EventXml {
  eventId?: number;
  channel?: string;
  provider?: string;
  computer?: string;
  /** System/TimeCreated/@SystemTime, as written (ISO 8601 with up to nine fractional digits). */
  systemTime?: string;
  /** EventData/Data values by Name, entities decoded. */
  data: Record<string, string>;
}

const ENTITY_RE = /&(lt|gt|amp|quot|apos|#\d+|#x[0-9a-fA-F]+);/g;
const NAMED: Readonly<Record<string, string>> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" };

export function decodeEntities(s: string): string {
  if (!s.includes('&')) return s;
  return s.replace(ENTITY_RE, (whole, name: string) => {
    if (name[0] !== '#') return NAMED[name] ?? whole;
    const code = name[1] === 'x' ? parseInt(name.slice(2), 16) : parseInt(name.slice(1), 10);
    return code >= 0 && code <= 0x10ffff ? String.fromCodePoint(code) : whole;
  });
}

const EVENT_ID_RE = /<EventID(?:\s[^>]*)?>([^<]*)<\/EventID>/;
const CHANNEL_RE = /<Channel>([^<]*)<\/Channel>/;
const COMPUTER_RE = /<Computer>([^<]*)<\/Computer>/;
const PROVIDER_RE = /<Provider\s[^>]*?\bName="([^"]*)"/;
const TIME_CREATED_RE = /<TimeCreated\s[^>]*?\bSystemTime="([^"]*)"/;

function first(xml: string, re: RegExp): string | undefined {
  const m = re.exec(xml);
  return m?.[1] === undefined ? undefined : decodeEntities(m[1]);
}

const DATA_RE = /<Data\s+Name="([^"]+)"\s*(?:\/>|>([^<]*)<\/Data>)/g;

/** Every `<Data Name="...">` value in `xml` (an `<Event>` or a bare `<EventData>`). */
export function readDataElements(xml: string): Record<string, string> {
  const data: Record<string, string> = {};
  for (const m of xml.matchAll(DATA_RE)) {
    const name = m[1];
    if (name !== undefined) data[name] = decodeEntities(m[2] ?? '');
  }
  return data;
}

/** Reads one `<Event>` document. Returns undefined when `xml` holds no `<Event` element. */
export function readEventXml(xml: string): EventXml | undefined {
  const start = xml.indexOf('<Event');
  if (start < 0) return undefined;
  const body = start === 0 ? xml : xml.slice(start);
  const out: EventXml = { data: readDataElements(body) };
  const id = first(body, EVENT_ID_RE);
  if (id !== undefined && /^\d+$/.test(id.trim())) out.eventId = Number(id.trim());
  const channel = first(body, CHANNEL_RE);
  if (channel !== undefined) out.channel = channel;
  const provider = first(body, PROVIDER_RE);
  if (provider !== undefined) out.provider = provider;
  const computer = first(body, COMPUTER_RE);
  if (computer !== undefined) out.computer = computer;
  const systemTime = first(body, TIME_CREATED_RE);
  if (systemTime !== undefined) out.systemTime = systemTime;
  return out;
}
