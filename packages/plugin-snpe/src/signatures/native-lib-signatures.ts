import type { NativeLibSignature } from '@gaugenn/core';

/**
 * Native-library fingerprints of SNPE: libSNPE.so plus the DSP/HTP helpers (SNPE 1: libsnpe_dsp_domains_v2.so,
 * libsymphony-cpu.so; SNPE 2: libSnpeHtpV73Stub.so, libSnpeDspV66Skel.so, …). SNPE 2 has a C API (Snpe_*), SNPE 1
 * exposes C++ in namespace zdl, and the Android AAR binds com.qualcomm.qti.snpe.
 */
export const nativeLibSignatures: (NativeLibSignature & { kind: 'framework' | 'delegate' })[] = [
  {
    id: 'snpe.runtime',
    kind: 'framework',
    framework: 'snpe',
    names: ['^libSNPE\\.so$', '^lib[Ss]npe[A-Za-z0-9_-]*\\.so$', '^libsnpe_dsp_[A-Za-z0-9_]*\\.so$'],
    symbols: ['Snpe_SNPEBuilder_Create', '_ZN3zdl4SNPE', 'Java_com_qualcomm_qti_snpe_'],
  },
];
