/**
 * The one place the scanner gets its secret detector from. At merge, replace the interim
 * detector with `createSecretDetector()` from ./detect/index.js; nothing else changes.
 */
import type { SecretDetector } from "./detector.js";
import { createInterimDetector } from "./interim-detector.js";

let detector: SecretDetector | undefined;

export function loadDetector(): SecretDetector {
  detector ??= createInterimDetector();
  return detector;
}
