import weights from './weights.json';

/** The named features the scorer weighs; weights.json holds one weight per name. */
export const FEATURES = [
  'handle_visual_sim',
  'handle_core_sim',
  'handle_core_exact',
  'handle_core_near',
  'handle_consonant_sim',
  'name_sim',
  'name_rarity',
  'display_name_rarity',
  'avatar_pdq',
  'bio_sim',
  'shared_links',
  'shared_links_fuzzy',
  'same_organisation',
  'recency',
  'same_platform',
] as const;
export type FeatureName = (typeof FEATURES)[number];
export type FeatureVector = Record<FeatureName, number>;

export interface ModelWeights {
  bias: number;
  weights: Record<FeatureName, number>;
}

export enum MirrorVerdict {
  LIKELY_MIRROR = 'LIKELY_MIRROR',
  POSSIBLE_MIRROR = 'POSSIBLE_MIRROR',
  NO_MATCH = 'NO_MATCH',
}

/** Probability cut-offs of the verdicts. */
export const LIKELY_THRESHOLD = 0.9;
export const POSSIBLE_THRESHOLD = 0.5;

export const SHIPPED_WEIGHTS = weights as unknown as ModelWeights & { trainedAt: string; trainedOn: string };

/** Logistic regression: the probability that the pair is a mirror and its original. */
export function probability(features: FeatureVector, model: ModelWeights = SHIPPED_WEIGHTS): number {
  let z = model.bias;
  for (const name of FEATURES) z += (model.weights[name] ?? 0) * features[name];
  return 1 / (1 + Math.exp(-z));
}

export function verdictOf(p: number): MirrorVerdict {
  return p >= LIKELY_THRESHOLD ? MirrorVerdict.LIKELY_MIRROR : p >= POSSIBLE_THRESHOLD ? MirrorVerdict.POSSIBLE_MIRROR : MirrorVerdict.NO_MATCH;
}
