import type { AppMeta } from '@gaugenn/core';
import { ANDROID_NS, ATTR_ID, VALUE_TYPE } from './axml-format.js';
import { findAttribute, isBinaryXml, parseBinaryXml } from './binary-xml-reader.js';
import type { XmlAttribute, XmlElement } from './binary-xml-reader.js';
import { manifestInvalid } from './malformed.js';
import { isTextXml, readTextManifest } from './text-manifest.js';

/**
 * Read an app's metadata from its `AndroidManifest.xml`: package, versionCode, versionName, min/target SDK
 * (from `<uses-sdk>`) and the application label when it is a plain string (a `@string/…` reference would
 * need `resources.arsc`, so it is left out). Android attributes are matched by resource id first, so
 * obfuscated manifests with blanked attribute names still read. Fields the manifest lacks are absent.
 *
 * Binary manifests (APKs) are the normal case; a text manifest (AARs, source trees) is read tolerantly.
 *
 * @throws GaugeError `MANIFEST_INVALID` when the bytes are not a readable manifest.
 */
export function readAppMeta(buf: Uint8Array): AppMeta {
  if (!isBinaryXml(buf) && isTextXml(buf)) return readTextManifest(buf);
  const { root } = parseBinaryXml(buf);
  if (root.name !== 'manifest') throw manifestInvalid(`its root element is <${root.name}>, not <manifest>`);

  const meta: AppMeta = {};
  const pkg = findAttribute(root, { name: 'package', ns: null }) ?? findAttribute(root, { name: 'package' });
  if (pkg && typeof pkg.value === 'string' && pkg.value !== '') meta.package = pkg.value;
  setInt(meta, 'versionCode', androidAttr(root, 'versionCode'));
  const versionName = textOf(androidAttr(root, 'versionName'));
  if (versionName !== undefined) meta.versionName = versionName;

  const sdk = child(root, 'uses-sdk');
  if (sdk) {
    setInt(meta, 'minSdk', androidAttr(sdk, 'minSdkVersion'));
    setInt(meta, 'targetSdk', androidAttr(sdk, 'targetSdkVersion'));
  }
  const app = child(root, 'application');
  const label = app && androidAttr(app, 'label');
  if (label && label.type === VALUE_TYPE.STRING && typeof label.value === 'string') meta.label = label.value;
  return meta;
}

function androidAttr(el: XmlElement, name: keyof typeof ATTR_ID): XmlAttribute | undefined {
  return findAttribute(el, { id: ATTR_ID[name], name, ns: ANDROID_NS });
}

function child(el: XmlElement, name: string): XmlElement | undefined {
  return el.children.find((c) => c.name === name);
}

/** A string or number attribute as text; references and other kinds say nothing readable. */
function textOf(a: XmlAttribute | undefined): string | undefined {
  if (!a) return undefined;
  if (typeof a.value === 'string' && a.type === VALUE_TYPE.STRING) return a.value;
  if (typeof a.value === 'number' && (a.type === VALUE_TYPE.INT_DEC || a.type === VALUE_TYPE.INT_HEX)) return String(a.value);
  return undefined;
}

/** Ints may be compiled as ints or, by some tools, kept as strings; SDK codenames ("Q") are not numbers and stay unset. */
function setInt(meta: AppMeta, key: 'versionCode' | 'minSdk' | 'targetSdk', a: XmlAttribute | undefined): void {
  if (!a) return;
  if (typeof a.value === 'number' && (a.type === VALUE_TYPE.INT_DEC || a.type === VALUE_TYPE.INT_HEX)) {
    meta[key] = a.value;
  } else if (typeof a.value === 'string' && a.type === VALUE_TYPE.STRING && /^\s*\d+\s*$/.test(a.value)) {
    meta[key] = Number(a.value);
  }
}
