import { describe, expect, it } from 'vitest';
import { countLabels, modalityEvidence, taskOf, type Signature } from '../src/index.js';

const t = (name: string, shape: number[], dtype = 'float32'): Signature => ({ name, shape, dtype });

// Signatures as the TFLite, ncnn and Caffe parsers stored them for the demo corpus's real models.
describe('taskOf', () => {
  it('calls a per-pixel map of the input segmentation (MediaPipe selfie segmentation)', () => {
    const v = taskOf('image', [t('input_1', [1, 256, 256, 3])], [t('activation_10', [1, 256, 256, 1])]);
    expect(v.value).toBe('segmentation');
    expect(v.evidence[0]).toContain('256×256');
  });
  it('calls per-anchor boxes and scores detection (MediaPipe face detection)', () => {
    expect(taskOf('image', [t('input', [1, 128, 128, 3])], [t('regressors', [1, 896, 16]), t('classificators', [1, 896, 1])]).value).toBe('detection');
  });
  it('calls flat coordinate outputs landmarks (MediaPipe hand landmarks: 21 points × 3)', () => {
    const v = taskOf('image', [t('input_1', [1, 224, 224, 3])], [t('Identity', [1, 63]), t('Identity_1', [1, 1]), t('Identity_2', [1, 1]), t('Identity_3', [1, 63])]);
    expect(v).toEqual({ value: 'landmarks', evidence: ['output Identity 1x63 float32: 63 values, a multiple of 3 (point coordinates)'] });
  });
  it('calls landmarks plus a mask landmarks (MediaPipe pose: 39 points × 5, a segmentation mask)', () => {
    const v = taskOf('image', [t('input_1', [1, 256, 256, 3])], [t('Identity', [1, 195]), t('Identity_1', [1, 1]), t('Identity_2', [1, 256, 256, 1]), t('Identity_3', [1, 64, 64, 39]), t('Identity_4', [1, 117])]);
    expect(v.value).toBe('landmarks');
    expect(v.evidence[1]).toBe('also a per-pixel map Identity_2 1x256x256x1 float32');
  });
  it('calls a box map beside a score map on one grid detection (MTCNN P-Net in Caffe)', () => {
    expect(taskOf('image', [t('data', [1, 3, 48, 48])], [t('conv4-2', [1, 4, 19, 19]), t('prob1', [1, 2, 19, 19])]).value).toBe('detection');
  });
  it('calls a 1000-way softmax classification (SqueezeNet in ncnn)', () => {
    expect(taskOf('image', [t('data', [1, 3, 224, 224])], [t('prob', [1000])]).value).toBe('classification');
  });
  it('takes a label file beside the model as the strongest evidence', () => {
    const v = taskOf('image', [t('input', [1, 224, 224, 3], 'uint8')], [t('MobilenetV1/Predictions/Reshape_1', [1, 1001], 'uint8')], {}, [{ path: 'assets/labels.txt', count: 1001 }]);
    expect(v.value).toBe('classification');
    expect(v.evidence[0]).toBe('label file assets/labels.txt (1001 labels) matches output MobilenetV1/Predictions/Reshape_1 1x1001 uint8');
  });
  it('calls a larger image of the same channels super-resolution, and says unknown with the outputs it saw', () => {
    expect(taskOf('image', [t('lr', [1, 240, 426, 3])], [t('hr', [1, 960, 1704, 3])]).value).toBe('super-resolution');
    const u = taskOf('sensor', [t('x', [1, 50, 6])], [t('y', [1, 7, 5])]);
    expect(u.value).toBe('unknown');
    expect(u.evidence[0]).toContain('y 1x7x5 float32');
  });
});

describe('modalityEvidence', () => {
  it('states the input facts behind the modality', () => {
    expect(modalityEvidence('image', [t('input_1', [1, 256, 256, 3])]).evidence).toEqual(['input input_1 1x256x256x3 float32: 256×256 pixels, 3 channel(s)']);
    expect(modalityEvidence('text', [t('ids', [1, 128], 'int32')]).evidence[0]).toContain('integer token ids');
  });
});

describe('countLabels', () => {
  it('counts lines of a labels.txt and items of a pbtxt label map', () => {
    expect(countLabels('background\ncat\n\ndog\n')).toEqual({ count: 3, first: ['background', 'cat', 'dog'] });
    expect(countLabels('item {\n  id: 1\n  display_name: "person"\n}\nitem {\n  id: 2\n  display_name: "bicycle"\n}\n')).toEqual({ count: 2, first: ['person', 'bicycle'] });
  });
});
