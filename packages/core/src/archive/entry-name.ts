/**
 * Entry-name safety. gaugeNN never uses entry names as file system paths, but names still flow into
 * reports, cache records and other tools, so names that would escape a root anywhere are refused.
 */

/** Why a name is unsafe, or undefined when it is fine. */
export function unsafeEntryName(name: string): string | undefined {
  if (name.length === 0) return 'empty name';
  if (name.includes('\0')) return 'NUL byte in name';
  if (name.startsWith('/') || name.startsWith('\\')) return 'absolute path';
  if (/^[A-Za-z]:/.test(name)) return 'drive-letter path';
  // Both separators: a name made on Windows (or by an attacker) may use backslashes.
  if (name.split(/[\\/]/).some((seg) => seg === '..')) return "'..' segment";
  return undefined;
}

const CP437_HIGH =
  'ÇüéâäàåçêëèïîìÄÅÉæÆôöòûùÿÖÜ¢£¥₧ƒáíóúñÑªº¿⌐¬½¼¡«»░▒▓│┤╡╢╖╕╣║╗╝╜╛┐└┴┬├─┼╞╟╚╔╩╦╠═╬╧╨╤╥╙╘╒╓╫╪┘┌█▄▌▐▀' +
  'αßΓπΣσµτΦΘΩδ∞φε∩≡±≥≤⌠⌡÷≈°∙·√ⁿ²■\u00a0';

/** Decode a name stored without the UTF-8 flag: the zip spec says IBM code page 437. */
export function decodeCp437(bytes: Uint8Array): string {
  let s = '';
  for (const b of bytes) s += b < 0x80 ? String.fromCharCode(b) : CP437_HIGH[b - 0x80];
  return s;
}
