/**
 * Type descriptors to Java names: `Lorg/tensorflow/lite/Interpreter;` → `org.tensorflow.lite.Interpreter`.
 * Arrays name their element class (`[Lx/Y;` → `x.Y`): a method taking `Y[]` uses `Y`. Primitives have no class.
 */
export function descriptorToClassName(descriptor: string): string | undefined {
  let i = 0;
  while (i < descriptor.length && descriptor.charCodeAt(i) === 0x5b /* [ */) i++;
  if (descriptor.charCodeAt(i) !== 0x4c /* L */ || descriptor.charCodeAt(descriptor.length - 1) !== 0x3b /* ; */) return undefined;
  if (descriptor.length - i < 3) return undefined;
  return descriptor.slice(i + 1, -1).replaceAll('/', '.');
}

/** The reverse, for test builders and messages: `org.x.Y` → `Lorg/x/Y;`. */
export function classNameToDescriptor(name: string): string {
  return `L${name.replaceAll('.', '/')};`;
}
