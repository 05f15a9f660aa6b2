/**
 * "did you mean" for misspelt field names: the nearest candidate within 2 edits, or one that
 * the word extends or shortens (minBusVolts → minBusV).
 */
export function suggest(word: string, candidates: Iterable<string>): string | null {
  let best: string | null = null;
  let bestD = 3;
  const w = word.toLowerCase();
  for (const c of candidates) {
    const lc = c.toLowerCase();
    const affix = Math.min(w.length, lc.length) >= 4 && (w.startsWith(lc) || lc.startsWith(w));
    const d = affix ? Math.min(2, distance(w, lc)) : distance(w, lc);
    if (d < bestD) {
      best = c;
      bestD = d;
    }
  }
  return best;
}

export function unknownField(word: string, candidates: Iterable<string>): string {
  const s = suggest(word, candidates);
  return s === null ? 'unknown field' : `unknown field (did you mean ${s}?)`;
}

function distance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      cur.push(Math.min(prev[j]! + 1, cur[j - 1]! + 1, prev[j - 1]! + cost));
    }
    prev = cur;
  }
  return prev[b.length]!;
}
