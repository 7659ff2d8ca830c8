export interface CorpusItem {
  id: string;
  key: string;
  value: string;
  /** true: a credential that must be found; false: a hard negative that must not be flagged. */
  label: boolean;
  /** The rule expected to find a positive. */
  rule?: string;
  /** The kind of hard negative (ciphertext, reference, placeholder...). */
  kind?: string;
  embed?: string;
  note: string;
  render?: "env" | "secret";
}
export const CORPUS_SEED: number;
export function loadCorpus(seed?: number): CorpusItem[];
export function renderManifest(item: CorpusItem): string;
