export type Tier = 'critical' | 'hot' | 'normal';

/** The tier comes from the key's name, so every region classifies a key the same way without coordination. */
export function tierOf(key: string): Tier {
  if (key.startsWith('critical/')) return 'critical';
  if (key.startsWith('hot/')) return 'hot';
  return 'normal';
}
