/**
 * One log record, whatever shipper wrote it, seen as a flat Sysmon event: its event id, where it
 * came from, its host, and its EventData fields by their Sysmon names.
 *
 * Shapes read (all observed in public Sysmon exports):
 * - flat: EventData fields at the top level beside Channel, EventID, Hostname (nxlog, winlogbeat 6
 *   flattened, the OTRF Security-Datasets);
 * - `EventData` as a JSON string or an XML string (Azure Monitor "WindowsEvent" rows);
 * - winlogbeat 7+: `winlog.{event_id, channel, provider_name, computer_name, event_data}`,
 *   winlogbeat 6: `{event_id, log_name, source_name, computer_name, event_data}`;
 * - Sysmon for Linux via syslog: the event XML in `SyslogMessage` (or `message`/`Message`).
 * Nested shapes are merged into one new object; flat records are used as they are (no copy).
 */
import { readDataElements, readEventXml } from './event-xml.js';
import type { Fields } from './fields.js';

export interface SysmonRecord {
  /** The Windows event id, when the record has one. */
  eventId: number | undefined;
  /** True when the record comes from Sysmon (by channel, provider, or the bare EventData shape). */
  sysmon: boolean;
  /** Channel or provider, for counting unsupported records ("Security", "Linux-Sysmon/Operational"). */
  origin: string;
  /** Host name as the log saw it; undefined when the record names none. */
  host: string | undefined;
  /** The record's own timestamp (XML SystemTime, @timestamp...) as text, a fallback for UtcTime. */
  recordTime: string | undefined;
  /** EventData fields by Sysmon name. For flat records this is the record itself. */
  fields: Fields;
  /** The record as parsed, for labels and other side-channel fields. */
  raw: Fields;
}

type Obj = Record<string, unknown>;

function isObject(v: unknown): v is Obj {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function str(v: unknown): string | undefined {
  return typeof v === 'string' && v !== '' ? v : undefined;
}

function eventIdOf(v: unknown): number | undefined {
  if (typeof v === 'number') return Number.isInteger(v) && v >= 0 ? v : undefined;
  if (typeof v === 'string' && /^\d{1,10}$/.test(v)) return Number(v);
  return undefined;
}

const SYSMON_RE = /sysmon/i;
const XML_CARRIERS = ['SyslogMessage', 'message', 'Message'] as const;
const RECORD_TIME_FIELDS = ['@timestamp', 'TimeCreated', 'TimeGenerated'] as const;

function recordTimeOf(raw: Obj): string | undefined {
  for (const name of RECORD_TIME_FIELDS) {
    const v = str(raw[name]);
    if (v !== undefined) return v;
  }
  return undefined;
}

/** The Sysmon XML carried by a syslog-shaped record, if any (never the rendered text Message). */
function carriedXml(raw: Obj): string | undefined {
  for (const name of XML_CARRIERS) {
    const v = raw[name];
    if (typeof v === 'string' && v.includes('<Event') && v.includes('<EventData')) return v;
  }
  return undefined;
}

/** Normalizes one parsed JSON value. Returns undefined when it is not a JSON object. */
export function readSysmonRecord(value: unknown): SysmonRecord | undefined {
  if (!isObject(value)) return undefined;
  const raw = value;
  const winlog = isObject(raw.winlog) ? raw.winlog : undefined;
  const hostObj = isObject(raw.host) ? raw.host : undefined;

  let eventId = eventIdOf(raw.EventID ?? raw.EventId ?? winlog?.event_id ?? raw.event_id);
  let channel = str(raw.Channel) ?? str(winlog?.channel) ?? str(raw.log_name);
  let provider =
    str(raw.SourceName) ?? str(raw.Provider) ?? str(raw.ProviderName) ?? str(winlog?.provider_name) ?? str(raw.source_name);
  let host =
    str(raw.Hostname) ?? str(raw.Computer) ?? str(raw.HostName) ?? str(winlog?.computer_name) ?? str(raw.computer_name);
  let recordTime = recordTimeOf(raw);
  let fields: Fields = raw;

  const eventData = raw.EventData ?? winlog?.event_data ?? raw.event_data;
  if (isObject(eventData)) {
    fields = { ...raw, ...eventData };
  } else if (typeof eventData === 'string') {
    const nested = parseEventDataString(eventData);
    if (nested) fields = { ...raw, ...nested };
  } else {
    const xml = carriedXml(raw);
    const doc = xml === undefined ? undefined : readEventXml(xml);
    if (doc) {
      fields = { ...raw, ...doc.data };
      eventId ??= doc.eventId;
      channel = doc.channel ?? channel;
      provider = doc.provider ?? provider;
      host ??= doc.computer;
      recordTime = doc.systemTime ?? recordTime;
    }
  }
  host ??= str(hostObj?.name) ?? str(hostObj?.hostname);

  const sysmon =
    (channel !== undefined && SYSMON_RE.test(channel)) ||
    (provider !== undefined && SYSMON_RE.test(provider)) ||
    raw._sensor === 'sysmon' ||
    // A bare EventData export (no channel, no provider) is Sysmon when it has Sysmon's own clock.
    (channel === undefined && provider === undefined && typeof fields.UtcTime === 'string');

  return { eventId, sysmon, origin: channel ?? provider ?? 'unknown', host, recordTime, fields, raw };
}

function parseEventDataString(s: string): Obj | undefined {
  const t = s.trimStart();
  if (t.startsWith('{')) {
    try {
      const v: unknown = JSON.parse(t);
      return isObject(v) ? v : undefined;
    } catch {
      return undefined;
    }
  }
  if (t.startsWith('<')) return readDataElements(t);
  return undefined;
}
