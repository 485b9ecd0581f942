/**
 * Internet destinations and file hashes. Each domain resolves into a fixed, plausible address
 * block; the generator picks an address in it, so a DNS answer and the connection that follows
 * agree.
 */
import type { Rng } from './prng.js';
import { hashString, mix, weighted, type Weighted } from './prng.js';

export interface Domain {
  readonly name: string;
  /** First three octets and a dot; the last octet is drawn. */
  readonly block: string;
  readonly port: number;
}

const d = (name: string, block: string, port = 443): Domain => ({ name, block, port });

/** Sites office workers browse, by popularity. */
export const WEB: Weighted<Domain> = weighted([
  [d('www.google.com', '142.250.179.'), 12], [d('www.google.fr', '142.250.75.'), 6],
  [d('www.service-public.fr', '160.92.168.'), 6], [d('www.impots.gouv.fr', '145.242.11.'), 3],
  [d('www.legifrance.gouv.fr', '185.24.186.'), 3], [d('www.collectivites-locales.gouv.fr', '185.24.184.'), 2],
  [d('www.marches-publics.gouv.fr', '185.24.187.'), 2], [d('chorus-pro.gouv.fr', '145.242.18.'), 2],
  [d('ants.gouv.fr', '185.24.185.'), 2], [d('www.amf.asso.fr', '51.91.236.'), 1],
  [d('www.lemonde.fr', '151.101.2.'), 3], [d('www.ouest-france.fr', '151.101.66.'), 3],
  [d('www.francetvinfo.fr', '23.15.87.'), 2], [d('fr.wikipedia.org', '185.15.58.'), 3],
  [d('www.youtube.com', '142.250.201.'), 3], [d('www.meteofrance.com', '185.184.97.'), 2],
  [d('www.laposte.fr', '160.92.125.'), 1], [d('www.leboncoin.fr', '104.18.20.'), 1],
  [d('www.amazon.fr', '52.95.120.'), 1], [d('www.linkedin.com', '13.107.42.'), 1],
  [d('mail.google.com', '142.250.178.'), 1], [d('www.caf.fr', '185.24.188.'), 1],
]);

/** Resources every page pulls in besides its own host. */
export const WEB_THIRD_PARTY: readonly Domain[] = [
  d('fonts.gstatic.com', '142.250.179.'), d('www.googletagmanager.com', '142.250.74.'),
  d('cdn.jsdelivr.net', '151.101.1.'), d('ajax.googleapis.com', '142.250.75.'),
  d('static.xx.fbcdn.net', '157.240.202.'), d('www.gstatic.com', '142.250.178.'),
];

export const M365 = {
  outlook: d('outlook.office365.com', '52.97.146.'),
  login: d('login.microsoftonline.com', '20.190.177.'),
  teams: d('teams.microsoft.com', '52.113.194.'),
  teamsChat: d('emea.ng.msg.teams.microsoft.com', '52.114.104.'),
  officeCdn: d('officecdn.microsoft.com', '23.52.128.'),
  nexus: d('nexusrules.officeapps.live.com', '52.111.236.'),
  onedrive: d('onedrive.live.com', '13.107.42.'),
  config: d('config.office.com', '52.109.76.'),
};

export const MICROSOFT = {
  update: d('download.windowsupdate.com', '13.107.4.', 80),
  updateSvc: d('fe3cr.delivery.mp.microsoft.com', '20.72.235.'),
  ctl: d('ctldl.windowsupdate.com', '93.184.221.', 80),
  settings: d('settings-win.data.microsoft.com', '20.42.73.'),
  telemetry: d('v10.events.data.microsoft.com', '20.189.173.'),
  defender: d('definitionupdates.microsoft.com', '20.150.110.'),
  defenderCloud: d('wdcp.microsoft.com', '20.50.201.'),
  edge: d('edge.microsoft.com', '13.107.21.'),
  smartscreen: d('nav.smartscreen.microsoft.com', '20.44.232.'),
};

export const VENDORS = {
  chromeUpdate: d('update.googleapis.com', '142.250.201.'),
  adobe: d('acroipm2.adobe.com', '23.221.98.'),
  mozilla: d('aus5.mozilla.org', '35.244.181.'),
  debian: d('deb.debian.org', '151.101.130.', 80),
  debianSecurity: d('security.debian.org', '151.101.194.', 80),
  ubuntu: d('fr.archive.ubuntu.com', '91.189.91.', 80),
  rocky: d('mirrors.rockylinux.org', '195.154.114.'),
  letsencrypt: d('acme-v02.api.letsencrypt.org', '172.65.32.'),
};

/** The syndicate's upstream DNS resolvers (DCs forward to them). */
export const UPSTREAM_DNS = ['80.67.169.12', '80.67.169.40'] as const;

/** One address in the domain's block. */
export function addressOf(domain: Domain, rng: Rng): string {
  return `${domain.block}${1 + rng.int(254)}`;
}

/** Random public client address (citizens reaching a town's web portal). */
export function publicClientIp(rng: Rng): string {
  const first = rng.pick([78, 82, 86, 90, 92, 109, 176, 185, 37, 88]);
  return `${first}.${rng.int(256)}.${rng.int(256)}.${1 + rng.int(254)}`;
}

const hashes = new Map<string, string>();

/** Sysmon-style "SHA256=..." for an image path: fixed per path, so rarity counters see one binary. */
export function hashOf(image: string): string {
  let h = hashes.get(image);
  if (h === undefined) {
    const seed = hashString(image.toLowerCase());
    let hex = '';
    for (let i = 0; i < 8; i++) hex += mix(seed, i).toString(16).padStart(8, '0').toUpperCase();
    h = `SHA256=${hex}`;
    // Images are a small fixed set plus one per scheduled scenario; the bound is insurance.
    if (hashes.size > 10_000) hashes.clear();
    hashes.set(image, h);
  }
  return h;
}
