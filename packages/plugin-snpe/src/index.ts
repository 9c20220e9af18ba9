/**
 * @gaugenn/plugin-snpe — Qualcomm SNPE / QAIRT DLC models for gaugeNN.
 */
import { definePlugin } from '@gaugenn/core';

/** The SNPE plugin (work in progress: sniff, parse and runners land here). */
export default definePlugin({
  name: 'snpe',
  frameworks: [],
  apply() {},
});
