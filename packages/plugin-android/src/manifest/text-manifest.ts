/**
 * Plain-text `AndroidManifest.xml` (as in an AAR or a source tree): not compiled, so the binary reader cannot
 * read it. A full XML parser would be a dependency for five attributes, so a few tolerant regexes pull them out.
 */
import type { AppMeta } from '@gaugenn/core';
import { manifestInvalid } from './malformed.js';

/** True when the bytes look like text XML: optional BOM and whitespace, then `<`. */
export function isTextXml(buf: Uint8Array): boolean {
  let i = buf[0] === 0xef && buf[1] === 0xbb && buf[2] === 0xbf ? 3 : 0;
  while (i < buf.length && i < 1024 && (buf[i] === 0x20 || buf[i] === 0x09 || buf[i] === 0x0a || buf[i] === 0x0d)) i++;
  return buf[i] === 0x3c;
}

/**
 * Read app metadata from a text manifest.
 *
 * @throws GaugeError `MANIFEST_INVALID` when it has no `<manifest>` start tag.
 */
export function readTextManifest(buf: Uint8Array): AppMeta {
  const text = new TextDecoder('utf-8').decode(buf);
  const manifest = startTag(text, 'manifest');
  if (manifest === undefined) throw manifestInvalid('it is text XML without a <manifest> start tag');
  const meta: AppMeta = {};
  const pkg = attr(manifest, 'package');
  if (pkg) meta.package = pkg;
  setInt(meta, 'versionCode', attr(manifest, 'android:versionCode'));
  const versionName = attr(manifest, 'android:versionName');
  if (versionName !== undefined) meta.versionName = versionName;
  const sdk = startTag(text, 'uses-sdk');
  if (sdk !== undefined) {
    setInt(meta, 'minSdk', attr(sdk, 'android:minSdkVersion'));
    setInt(meta, 'targetSdk', attr(sdk, 'android:targetSdkVersion'));
  }
  const app = startTag(text, 'application');
  const label = app === undefined ? undefined : attr(app, 'android:label');
  if (label !== undefined && !label.startsWith('@')) meta.label = label; // `@string/…` needs resources.arsc
  return meta;
}

/** The attribute text of the first `<name …>` start tag, comments removed. */
function startTag(text: string, name: string): string | undefined {
  const m = new RegExp(`<${name}(\\s[^>]*)?>`).exec(text.replace(/<!--[\s\S]*?-->/g, ''));
  return m ? (m[1] ?? '') : undefined;
}

function attr(tag: string, name: string): string | undefined {
  const m = new RegExp(`(?:^|\\s)${name.replace('.', '\\.')}\\s*=\\s*(?:"([^"]*)"|'([^']*)')`).exec(tag);
  return m ? unescapeXml(m[1] ?? m[2] ?? '') : undefined;
}

function setInt(meta: AppMeta, key: 'versionCode' | 'minSdk' | 'targetSdk', v: string | undefined): void {
  if (v === undefined || !/^\s*-?(\d+|0x[0-9a-f]+)\s*$/i.test(v)) return; // placeholders like ${minSdk} stay unset
  const n = Number(v.trim());
  if (Number.isSafeInteger(n)) meta[key] = n;
}

function unescapeXml(s: string): string {
  return s.replace(/&(lt|gt|amp|quot|apos|#\d+|#x[0-9a-f]+);/gi, (whole, e: string) => {
    switch (e.toLowerCase()) {
      case 'lt': return '<';
      case 'gt': return '>';
      case 'amp': return '&';
      case 'quot': return '"';
      case 'apos': return "'";
    }
    const cp = e[1] === 'x' || e[1] === 'X' ? parseInt(e.slice(2), 16) : parseInt(e.slice(1), 10);
    return cp <= 0x10ffff ? String.fromCodePoint(cp) : whole;
  });
}
