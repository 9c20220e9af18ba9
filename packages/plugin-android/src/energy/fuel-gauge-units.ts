/**
 * Fuel-gauge readings come in vendor-specific units and signs (energy-facts.md §5): the kernel ABI says µA and µV,
 * negative while discharging, but some phones print mA, and some report discharge as positive. These rules turn a
 * few idle readings into the scale that makes "current drawn from the battery" positive and in amperes.
 */

/** How raw `current_now` / `voltage_now` numbers become amperes and volts drawn from the battery. */
export interface FuelGaugeScale {
  /** Multiply raw current by this to get A drawn (sign included: discharge becomes positive). */
  currentToA: number;
  /** Multiply raw voltage by this to get V. */
  voltageToV: number;
  currentUnit: 'µA' | 'mA';
  voltageUnit: 'µV' | 'mV' | 'V';
  /** How the device signs discharge. */
  discharge: 'negative' | 'positive';
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
};

/**
 * Detect units and sign from readings taken while the phone idles (awake, so drawing tens of mA at least):
 * - current: a magnitude of 10 000 or more is µA (10 mA and up), less is mA (under 10 A): the two ranges a
 *   running phone can show do not overlap there;
 * - voltage: over 100 000 is µV, over 100 is mV, else V (a Li-ion cell sits at 3-4.5 V);
 * - sign: the battery is being drained while we measure, so the sign of the median reading is discharge's sign.
 */
export function detectFuelGaugeScale(currents: number[], voltages: number[]): FuelGaugeScale {
  const i = median(currents);
  const v = median(voltages.map(Math.abs));
  const currentUnit = Math.abs(i) >= 10_000 ? 'µA' : 'mA';
  const voltageUnit = v > 100_000 ? 'µV' : v > 100 ? 'mV' : 'V';
  const discharge = i > 0 ? 'positive' : 'negative';
  const mag = currentUnit === 'µA' ? 1e-6 : 1e-3;
  return {
    currentToA: discharge === 'negative' ? -mag : mag,
    voltageToV: voltageUnit === 'µV' ? 1e-6 : voltageUnit === 'mV' ? 1e-3 : 1,
    currentUnit,
    voltageUnit,
    discharge,
  };
}
