import { hostPython, hostVenv, setupHostPython } from '@gaugenn/core';
import { BaseCommand } from '../base-command.js';

export default class Setup extends BaseCommand<typeof Setup> {
  static override summary = "Install the host runners' Python runtimes (LiteRT, …) into gaugeNN's own venv.";
  static override description = `Each loaded plugin names the pip packages its host runner needs. They go into a venv under
$GAUGENN_HOME (default ~/.cache/gaugenn/venv), which host runners then use. Set GAUGENN_PYTHON to use another Python.`;
  static override examples = ['<%= config.bin %> setup'];

  async run(): Promise<unknown> {
    const gauge = await this.gauge();
    const reqs = gauge.plugins.flatMap((p) => p.hostRequirements);
    const py = await setupHostPython(reqs, (l) => !this.jsonEnabled() && this.log(l));
    if (!this.jsonEnabled()) this.log(`Host runners will use ${hostPython()}`);
    return { venv: hostVenv(), python: py, requirements: reqs };
  }
}
