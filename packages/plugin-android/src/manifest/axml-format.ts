/**
 * Constants of Android's binary XML (AXML) format, as `frameworks/base/libs/androidfw/ResourceTypes.h` defines them.
 * Shared by the reader and the writer so the two cannot drift apart.
 */

/** Chunk types (`ResChunk_header.type`). */
export const CHUNK = {
  STRING_POOL: 0x0001,
  XML: 0x0003,
  XML_START_NAMESPACE: 0x0100,
  XML_END_NAMESPACE: 0x0101,
  XML_START_ELEMENT: 0x0102,
  XML_END_ELEMENT: 0x0103,
  XML_CDATA: 0x0104,
  XML_RESOURCE_MAP: 0x0180,
} as const;

/** `ResStringPool_header.flags`: strings are UTF-8 (else UTF-16LE). */
export const UTF8_FLAG = 0x100;

/** `Res_value.dataType` values the reader gives meaning to. */
export const VALUE_TYPE = {
  NULL: 0x00,
  REFERENCE: 0x01,
  ATTRIBUTE: 0x02,
  STRING: 0x03,
  FLOAT: 0x04,
  DIMENSION: 0x05,
  FRACTION: 0x06,
  DYNAMIC_REFERENCE: 0x07,
  INT_DEC: 0x10,
  INT_HEX: 0x11,
  INT_BOOLEAN: 0x12,
  INT_COLOR_ARGB8: 0x1c,
  INT_COLOR_RGB8: 0x1d,
  INT_COLOR_ARGB4: 0x1e,
  INT_COLOR_RGB4: 0x1f,
} as const;

/** A string-pool index meaning "no string". */
export const NO_INDEX = 0xffffffff;

/** The `android:` namespace URI. */
export const ANDROID_NS = 'http://schemas.android.com/apk/res/android';

/**
 * Framework attribute ids (`android.R.attr.*`) the manifest reader cares about. Obfuscated manifests blank out
 * the attribute-name strings, but the platform only looks at these ids, so they are the reliable key.
 * (`package` is not an android: attribute and has no id.)
 */
export const ATTR_ID = {
  label: 0x01010001,
  icon: 0x01010002,
  name: 0x01010003,
  minSdkVersion: 0x0101020c,
  versionCode: 0x0101021b,
  versionName: 0x0101021c,
  targetSdkVersion: 0x01010270,
  maxSdkVersion: 0x01010271,
} as const;

/** Reverse of {@link ATTR_ID}: attribute id → name, for naming attributes whose name string is empty. */
export const ATTR_NAME_BY_ID: ReadonlyMap<number, string> = new Map(
  Object.entries(ATTR_ID).map(([name, id]) => [id, name] as [number, string]),
);
