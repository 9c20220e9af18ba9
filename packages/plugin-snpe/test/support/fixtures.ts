/** Where the SNPE tests find the shared fixtures (never copied into the repo). */
import { fixture } from '../../../../test-support/fixtures.js';

export const snpeFixture = (name: string) => fixture(`snpe/${name}`);
export const snpeOutput = (name: string) => fixture(`snpe/outputs/${name}`);

export const DLC = {
  v4: snpeFixture('hsp-aidemo_det_500m_quantized.dlc'),
  v3hta: snpeFixture('mlcommons_v0_7_deeplabv3_quantized_hta_enabled.dlc'),
  v3: snpeFixture('sensifai_Enhancement_SNPE.dlc'),
  v2: snpeFixture('nemo_public_EDSR_transpose_B4_F32_S4.dlc'),
};
export const EDSR_PB = snpeFixture('nemo_public_EDSR_transpose_B4_F32_S4_final_240_426_3.pb');
