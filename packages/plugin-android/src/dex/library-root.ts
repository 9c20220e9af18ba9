/**
 * The library a class belongs to, for telling an app's own calls from a library's calls into itself. Java
 * libraries live under a reverse-domain package with a project segment (`org.tensorflow.lite`,
 * `com.google.firebase`, `com.amazonaws.services`), so the first three package segments name the library;
 * the NNAPI delegate (`org.tensorflow.lite.nnapi`) and the interpreter that creates it
 * (`org.tensorflow.lite.NativeInterpreterWrapper`) are then one library, as they are one artifact.
 */
const SEGMENTS = 3;

/** `org.tensorflow.lite.gpu.GpuDelegate` → `org.tensorflow.lite`; `com.clarifai.Client` → `com.clarifai`. */
export function libraryRoot(className: string): string {
  const dot = className.lastIndexOf('.');
  if (dot < 0) return className;
  return className.slice(0, dot).split('.').slice(0, SEGMENTS).join('.');
}

/** Whether `className` lies inside any of the library packages `roots`. */
export function insideLibrary(className: string, roots: Iterable<string>): boolean {
  for (const r of roots) if (className === r || className.startsWith(`${r}.`)) return true;
  return false;
}
