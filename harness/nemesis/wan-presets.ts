/**
 * Round-trip times between cloud regions, for the latency fault. Approximate public figures: medians of
 * the inter-region latency tables cloud providers and community dashboards publish (e.g. AWS's
 * inter-region latency in Network Manager, cloudping.co), rounded to 5 ms. They are not measurements of
 * any run; they set the order of magnitude that cross-region protocols must live with.
 */
const RTT_MS: Record<string, number> = {
  'us-east|us-west': 65,
  'us-east|eu-west': 80,
  'us-east|eu-central': 90,
  'us-east|ap-south': 200,
  'us-east|ap-northeast': 150,
  'us-east|sa-east': 115,
  'us-west|eu-west': 130,
  'us-west|eu-central': 145,
  'us-west|ap-south': 220,
  'us-west|ap-northeast': 100,
  'us-west|sa-east': 175,
  'eu-west|eu-central': 25,
  'eu-west|ap-south': 130,
  'eu-west|ap-northeast': 210,
  'eu-west|sa-east': 180,
  'eu-central|ap-south': 115,
  'eu-central|ap-northeast': 225,
  'eu-central|sa-east': 200,
  'ap-south|ap-northeast': 130,
  'ap-south|sa-east': 300,
  'ap-northeast|sa-east': 255,
};

/** Used for region names the table does not know (custom names in tests and fixtures). */
export const UNKNOWN_PAIR_RTT_MS = 100;

export interface LinkDelay {
  rttMs: number;
  jitterMs: number;
}

export interface WanPreset {
  /** Multiplies every round trip. */
  scale: number;
  /** Jitter as a fraction of the (scaled) round trip. */
  jitter: number;
}

/** `wan`: the table as is; `wan-congested`: a bad day (slower, noisier); `wan-fast`: a tenth, for quick runs. */
export const WAN_PRESETS: Record<string, WanPreset> = {
  wan: { scale: 1, jitter: 0.1 },
  'wan-congested': { scale: 2.5, jitter: 0.3 },
  'wan-fast': { scale: 0.1, jitter: 0.1 },
};

export function rttMs(a: string, b: string): number {
  return RTT_MS[`${a}|${b}`] ?? RTT_MS[`${b}|${a}`] ?? UNKNOWN_PAIR_RTT_MS;
}

/** The delay of every unordered pair of distinct regions under a preset, keyed "a<->b" (in the given order). */
export function latencyMatrix(regions: readonly string[], presetName: string): Record<string, LinkDelay> {
  const preset = WAN_PRESETS[presetName];
  if (!preset) throw new Error(`unknown latency preset "${presetName}"; presets are ${Object.keys(WAN_PRESETS).join(', ')}`);
  const out: Record<string, LinkDelay> = {};
  regions.forEach((a, i) =>
    regions.slice(i + 1).forEach((b) => {
      const rtt = Math.round(rttMs(a, b) * preset.scale);
      out[`${a}<->${b}`] = { rttMs: rtt, jitterMs: Math.round(rtt * preset.jitter) };
    }),
  );
  return out;
}
