/** Windows image paths used across activities and scenarios. */
export const S32 = 'C:\\Windows\\System32\\';
export const CMD = `${S32}cmd.exe`;
export const CONHOST = `${S32}conhost.exe`;
export const CONHOST_CMD = '\\??\\C:\\Windows\\system32\\conhost.exe 0xffffffff -ForceV1';
export const POWERSHELL = `${S32}WindowsPowerShell\\v1.0\\powershell.exe`;
export const OFFICE = 'C:\\Program Files\\Microsoft Office\\root\\Office16\\';
export const RUNDLL32 = `${S32}rundll32.exe`;
export const WMIPRVSE = `${S32}wbem\\WmiPrvSE.exe`;
export const NOTEPAD = `${S32}notepad.exe`;
