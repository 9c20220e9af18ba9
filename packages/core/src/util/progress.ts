import type { ListrTask } from 'listr2';

/**
 * Run long work with listr2 progress on stderr-friendly renderers. With `quiet` (e.g. `--json`), nothing is drawn,
 * so stdout holds only the machine-readable document. On a non-TTY (CI, pipes) listr2 falls back to plain lines.
 */
export async function withProgress<Ctx extends object>(tasks: ListrTask<Ctx>[], quiet: boolean, ctx: Ctx): Promise<Ctx> {
  // listr2 is loaded by the first command that draws progress, not at start-up.
  const { Listr } = await import('listr2');
  const list = new Listr<Ctx, 'default', 'simple'>(tasks, {
    concurrent: false,
    exitOnError: true,
    ctx,
    renderer: quiet ? 'silent' : 'default',
    fallbackRenderer: quiet ? 'silent' : 'simple',
    rendererOptions: { collapseSubtasks: false },
  } as never);
  return list.run();
}
