/**
 * The console's only stylesheet. Meaning never rests on colour alone: severity and state are
 * written as words ([CRITICAL], New); colour and weight only repeat them. Focus is always visible.
 */
export const CSS = `
:root { font-family: system-ui, sans-serif; line-height: 1.4; color: #111; background: #fff; }
body { margin: 0; }
a { color: #0645ad; }
:focus-visible { outline: 3px solid #f5a700; outline-offset: 2px; }
.skip { position: absolute; left: -999px; } .skip:focus { left: 8px; top: 8px; background: #fff; padding: 4px; z-index: 2; }
header { display: flex; gap: 1.5em; align-items: center; padding: .5em 1em; border-bottom: 2px solid #222; flex-wrap: wrap; }
header nav a { margin-right: 1em; } header .who { margin-left: auto; }
main { padding: 1em; max-width: 1400px; }
table { border-collapse: collapse; width: 100%; } th, td { text-align: left; padding: .3em .5em; border-bottom: 1px solid #ccc; vertical-align: top; }
th { background: #f2f2f2; } tr:focus-within { background: #fff7d6; }
.sev { font-family: ui-monospace, monospace; font-weight: bold; white-space: nowrap; }
.sev-critical { color: #8b0000; } .sev-high { color: #b22222; } .sev-medium { color: #7a4b00; } .sev-low, .sev-informational { color: #333; }
.state { white-space: nowrap; } .muted { color: #555; }
code, pre { font-family: ui-monospace, monospace; font-size: .9em; white-space: pre-wrap; word-break: break-all; }
form.filters { display: flex; gap: 1em; flex-wrap: wrap; align-items: end; margin-bottom: 1em; }
form.filters label, fieldset label { display: flex; flex-direction: column; font-size: .9em; }
fieldset { margin: 1em 0; border: 1px solid #999; } .actions { display: flex; gap: .5em; flex-wrap: wrap; }
button { padding: .3em .8em; }
ul.tree, ul.tree ul { list-style: none; padding-left: 1.4em; border-left: 1px dashed #888; margin: 0; }
ul.tree { border-left: none; padding-left: 0; }
ul.tree li { margin: .3em 0; }
.node { border: 1px solid #bbb; padding: .3em .5em; display: inline-block; max-width: 100%; }
.node.focus { border: 3px double #111; }
.rel { font-family: ui-monospace, monospace; font-size: .8em; }
.error { border: 2px solid #8b0000; padding: .5em; }
dl.facts { display: grid; grid-template-columns: max-content 1fr; gap: .2em 1em; } dl.facts dt { font-weight: bold; }
`;
