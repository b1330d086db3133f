/** Ranking metrics for the evaluation: positives and negatives are scores in [0, 1]. */

export function rocAuc(positives: number[], negatives: number[]): number {
  if (!positives.length || !negatives.length) return NaN;
  const all = [...positives.map((s) => [s, 1] as const), ...negatives.map((s) => [s, 0] as const)].sort((a, b) => a[0] - b[0]);
  let rankSum = 0;
  for (let i = 0; i < all.length; ) {
    let j = i;
    while (j < all.length && all[j][0] === all[i][0]) j++;
    const averageRank = (i + j + 1) / 2;
    for (let k = i; k < j; k++) if (all[k][1] === 1) rankSum += averageRank;
    i = j;
  }
  return (rankSum - (positives.length * (positives.length + 1)) / 2) / (positives.length * negatives.length);
}

/** Precision at the highest threshold that still reaches `recall`. */
export function precisionAtRecall(positives: number[], negatives: number[], recall: number): number {
  const sorted = [...positives].sort((a, b) => b - a);
  const needed = Math.ceil(recall * sorted.length);
  if (needed === 0 || sorted[needed - 1] === 0) return 0;
  const threshold = sorted[needed - 1];
  const truePositives = positives.filter((s) => s >= threshold).length;
  const falsePositives = negatives.filter((s) => s >= threshold).length;
  return truePositives / (truePositives + falsePositives);
}

/** Recall at the lowest threshold whose false-positive rate stays within `fpr`. */
export function recallAtFpr(positives: number[], negatives: number[], fpr: number): number {
  const sorted = [...negatives].sort((a, b) => b - a);
  const allowed = Math.floor(fpr * sorted.length);
  const threshold = allowed < sorted.length ? sorted[allowed] : -Infinity;
  return positives.filter((s) => s > threshold).length / positives.length;
}

export function meanReciprocalRank(ranks: (number | null)[]): number {
  return ranks.reduce<number>((sum, rank) => sum + (rank ? 1 / rank : 0), 0) / ranks.length;
}

export function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];
}
