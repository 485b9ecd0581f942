/**
 * Process rows: one per process start. Column order is the schema (vigie.features/1).
 * Every value is finite and in [0, 1] (cyclic: [-1, 1]).
 */
import type { ProcessRowContext } from './context.js';
import { clip, defineLayout, explainRarity, unlog, type FeatureSpec } from './layout.js';

export const PROCESS_WIDTH = 39;

type S = FeatureSpec<ProcessRowContext>;
const pc = (c: ProcessRowContext) => c.parentImage || 'an unknown parent';
const img = (c: ProcessRowContext) => c.image || 'an unknown image';
const flag = (description: string, say: (c: ProcessRowContext) => string): S => ({
  kind: 'flag',
  description,
  explain: (v, c) => (v >= 0.5 ? say(c) : undefined),
});
const hourText = (c: ProcessRowContext) => new Date(c.timeMs).toISOString().slice(11, 16);

const specs = {
  hour_sin: { kind: 'cyclic', description: 'Time of day of the start (local time of the tenant, see options), sine.', scale: 'sin(2 pi h / 24)', explain: () => undefined },
  hour_cos: { kind: 'cyclic', description: 'Time of day of the start, cosine (with hour_sin: midnight and 23:00 are close).', scale: 'cos(2 pi h / 24)', explain: (v, c) => (v > 0.7 ? `started at night (${hourText(c)} UTC)` : undefined) },
  weekend: flag('The start happened on a Saturday or Sunday (tenant local time).', (c) => `started on a weekend (${new Date(c.timeMs).toISOString().slice(0, 10)})`),
  ancestry_depth: { kind: 'numeric', description: 'Depth of the process in the remembered process tree (1: parent unknown).', scale: 'min(depth, 16) / 16', explain: (v, c) => (v >= 0.5 ? `unusually deep process tree (${c.depth || Math.round(v * 16)} levels)` : undefined) },
  parent_unknown: flag('The parent process is not in the remembered tree (started before the sensor, or evicted).', (c) => `parent ${pc(c)} is not known to the process table`),
  image_system_dir: flag('The image lives in an OS directory (C:\\Windows, /usr/bin, /bin, /sbin...).', (c) => `${img(c)} runs from a system directory`),
  image_program_dir: flag('The image lives in an installed-software directory (Program Files, /opt, /usr/lib...).', (c) => `${img(c)} runs from an installed-software directory`),
  image_user_writable: flag('The image lives where users can write (profiles, ProgramData, /home, web roots, temp).', (c) => `${img(c)} runs from a user-writable directory (${clip(c.imagePath)})`),
  image_temp_dir: flag('The image lives in a temp or download folder (Temp, Downloads, /tmp, /dev/shm).', (c) => `${img(c)} runs from a temp or download folder (${clip(c.imagePath)})`),
  image_renamed: flag('The PE original file name differs from the file name (a renamed binary).', (c) => `${img(c)} is a renamed ${c.originalFileName || 'binary'}`),
  image_script_host: flag('The image is a script host or living-off-the-land binary (powershell, cmd, mshta, rundll32, bash, python...).', (c) => `${img(c)} is a script host`),
  parent_document_app: flag('The parent is a document or mail application (winword, excel, outlook, acrobat...).', (c) => `started by the document application ${pc(c)}`),
  parent_script_host: flag('The parent is a script host or living-off-the-land binary (a shell started this process).', (c) => `started by the script host ${pc(c)}`),
  lineage_script_host: flag('The parent or an ancestor above it (as far as the tree is remembered) is a script host: the process descends from a shell.', (c) => `descends from a shell or script host (parent ${pc(c)}${c.grandparentImage ? `, grandparent ${c.grandparentImage}` : ''})`),
  image_recon_tool: flag('The image is a discovery or administration utility (whoami, net, sc, reg, nltest, netsh, csc...).', (c) => `${img(c)} is a discovery or administration tool`),
  parent_user_writable: flag('The parent image lives where users can write.', (c) => `parent ${pc(c)} runs from a user-writable directory`),
  cmd_length: { kind: 'numeric', description: 'Length of the command line.', scale: 'min(1, log2(1 + chars) / 16)', explain: (v) => (v >= 0.7 ? `very long command line (about ${unlog(v, 16)} characters)` : undefined) },
  cmd_entropy: { kind: 'numeric', description: 'Shannon entropy of the command line, bits per character.', scale: 'bits / 8', explain: (v, c) => (v >= 0.7 ? `high-entropy command line (${(v * 8).toFixed(1)} bits/char): ${clip(c.commandLine, 60)}` : undefined) },
  cmd_tokens: { kind: 'numeric', description: 'Number of white-space separated tokens of the command line.', scale: 'min(1, log2(1 + n) / 8)', explain: (v) => (v >= 0.75 ? `command line with many arguments (about ${unlog(v, 8)})` : undefined) },
  cmd_base64_run: { kind: 'numeric', description: 'Longest run of base64 characters ([A-Za-z0-9+/=]) in the command line.', scale: 'min(1, log2(1 + n) / 12)', explain: (v) => (v >= 0.55 ? `command line holds a base64-like blob of about ${unlog(v, 12)} characters` : undefined) },
  cmd_hex_run: { kind: 'numeric', description: 'Longest run of hex digits in the command line.', scale: 'min(1, log2(1 + n) / 12)', explain: (v) => (v >= 0.5 ? `command line holds a hex blob of about ${unlog(v, 12)} digits` : undefined) },
  cmd_urls: { kind: 'numeric', description: 'URL literals (scheme://) in the command line.', scale: 'min(n, 4) / 4', explain: (v, c) => (v > 0 ? `command line contains a URL: ${clip(c.commandLine, 60)}` : undefined) },
  cmd_ip_literals: { kind: 'numeric', description: 'IPv4 address literals in the command line.', scale: 'min(n, 4) / 4', explain: (v, c) => (v > 0 ? `command line contains an IP address: ${clip(c.commandLine, 60)}` : undefined) },
  cmd_encoded: flag('The command line passes an encoded payload (PowerShell -e/-enc/-EncodedCommand, FromBase64String).', (c) => `${img(c)} was given an encoded command`),
  cmd_evasion_markers: { kind: 'numeric', description: 'Distinct evasion or download markers (-nop, hidden, bypass, iex, DownloadString, -urlcache...).', scale: 'min(n, 4) / 4', explain: (v, c) => (v > 0 ? `command line uses ${Math.round(v * 4)} evasion or download marker(s): ${clip(c.commandLine, 60)}` : undefined) },
  cmd_obfuscation: { kind: 'fraction', description: 'Share of escape characters (^ for cmd, ` for PowerShell) in the command line, times 10.', scale: 'min(1, 10 * share)', explain: (v) => (v >= 0.3 ? 'command line is obfuscated with escape characters' : undefined) },
  user_system: flag('The process runs as the system (SYSTEM, LOCAL/NETWORK SERVICE, root).', (c) => `${img(c)} runs as ${c.user || 'the system'}`),
  user_changed: flag('The user differs from the parent\'s user (when the collector reports both).', (c) => `${img(c)} runs as ${c.user}, its parent as ${c.parentUser}`),
  integrity_level: { kind: 'numeric', description: 'Integrity level: Untrusted 0, Low 0.25, Medium 0.5, High 0.75, System 1 (Linux: root 0.75, others 0.5).', scale: 'ordinal', explain: (v, c) => (v >= 0.75 && c.integrityLevel ? `${img(c)} runs at ${c.integrityLevel} integrity` : undefined) },
  rare_image_host: { kind: 'rarity', description: 'Rarity of the image file name on this host.', explain: (v, c) => explainRarity(v, img(c), `before on host ${c.host}`) },
  rare_image_tenant: { kind: 'rarity', description: 'Rarity of the image file name in this tenant.', explain: (v, c) => explainRarity(v, img(c), 'before in this tenant') },
  rare_image_fleet: { kind: 'rarity', description: 'Rarity of the image file name across the fleet.', explain: (v, c) => explainRarity(v, img(c), 'before across the fleet') },
  rare_pair_tenant: { kind: 'rarity', description: 'Rarity of the parent -> child image pair in this tenant.', explain: (v, c) => explainRarity(v, `parent ${pc(c)}`, `starting ${img(c)} in this tenant`) },
  rare_pair_fleet: { kind: 'rarity', description: 'Rarity of the parent -> child image pair across the fleet.', explain: (v, c) => explainRarity(v, `parent ${pc(c)}`, `starting ${img(c)} across the fleet`) },
  rare_chain_tenant: { kind: 'rarity', description: 'Rarity of the grandparent -> parent -> child chain in this tenant.', explain: (v, c) => explainRarity(v, `the chain ${c.grandparentImage || '?'} -> ${pc(c)} -> ${img(c)}`, 'in this tenant') },
  rare_user_image_tenant: { kind: 'rarity', description: 'Rarity of this user running this image in this tenant.', explain: (v, c) => explainRarity(v, `user ${c.user || '?'}`, `running ${img(c)} in this tenant`) },
  rare_hash_tenant: { kind: 'rarity', description: 'Rarity of this image file name with these hashes in this tenant (0 when no hashes are reported).', explain: (v, c) => explainRarity(v, `this build of ${img(c)}`, 'in this tenant (new or replaced binary)') },
  rare_cmd_token_max: { kind: 'rarity', description: 'Highest rarity of a command-line token (digits folded) for this image in this tenant.', explain: (v, c) => explainRarity(v, c.rarestToken ? `argument '${clip(c.rarestToken, 40)}' of ${img(c)}` : `an argument of ${img(c)}`, 'in this tenant') },
  cmd_new_token_fraction: { kind: 'fraction', description: 'Share of command-line tokens never seen for this image in this tenant.', explain: (v, c) => (v >= 0.5 ? `${Math.round(v * 100)}% of the arguments of ${img(c)} were never seen in this tenant` : undefined) },
} satisfies Record<string, S>;

export type ProcessFeatureName = keyof typeof specs;
export const PROCESS_LAYOUT = defineLayout<ProcessRowContext, ProcessFeatureName>('process', PROCESS_WIDTH, specs);
