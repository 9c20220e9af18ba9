/**
 * @gaugenn/report — the study report as a plugin on core's `report` hook.
 */
import { definePlugin } from '@gaugenn/core';

/** The report plugin (work in progress: the report moves here from core). */
export default definePlugin({
  name: 'report',
  apply() {},
});
