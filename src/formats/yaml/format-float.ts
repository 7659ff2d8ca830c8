/**
 * Floats as go-yaml v3 writes them: Go's shortest 'g' form (see {@link formatGoShortestFloat},
 * which also explains why an integral float keeps its `.0`), and `.inf`, `-.inf`, `.nan`.
 */
import { formatGoShortestFloat } from "../../core/canonical.js";

export function formatYamlFloat(value: number): string {
  if (Number.isNaN(value)) return ".nan";
  if (value === Infinity) return ".inf";
  if (value === -Infinity) return "-.inf";
  return formatGoShortestFloat(value);
}
