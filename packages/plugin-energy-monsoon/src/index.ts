/**
 * @gaugenn/plugin-energy-monsoon — Monsoon power monitors as a gaugeNN energy source.
 */
import { definePlugin } from '@gaugenn/core';

/** The Monsoon plugin (work in progress). */
export default definePlugin({
  name: 'monsoon',
  apply() {},
});
