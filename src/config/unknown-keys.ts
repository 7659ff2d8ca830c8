/**
 * sops silently ignores unknown keys in `.sops.yaml`, so a typo such as `path_regexp` quietly turns
 * a rule into a match-all. We accept such files too (compatibility) but report every unknown key
 * with the closest known name, so the CLI can warn.
 */

/** Warnings for the keys of `record` that are not in `known`, e.g. "unknown key path_regexp in creation rule 1 (ignored): did you mean path_regex?". */
export function unknownKeyWarnings(record: Record<string, unknown>, known: readonly string[], where: string): string[] {
  const warnings: string[] = [];
  for (const key of Object.keys(record)) {
    if (known.includes(key)) continue;
    const suggestion = closest(key, known);
    warnings.push(`unknown key ${key} in ${where} (ignored)${suggestion === undefined ? "" : `: did you mean ${suggestion}?`}`);
  }
  return warnings;
}

/** The known name nearest to `word` when it is plausibly a typo of it. */
function closest(word: string, known: readonly string[]): string | undefined {
  const lower = word.toLowerCase().replace(/-/g, "_");
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const candidate of known) {
    const distance = lower === candidate ? 0 : editDistance(lower, candidate);
    if (distance < bestDistance) {
      best = candidate;
      bestDistance = distance;
    }
  }
  const allowed = Math.max(2, Math.floor(word.length / 4));
  return bestDistance <= allowed ? best : undefined;
}

function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      const substitution = previous[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1);
      current.push(Math.min(previous[j]! + 1, current[j - 1]! + 1, substitution));
    }
    previous = current;
  }
  return previous[b.length]!;
}
