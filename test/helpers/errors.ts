import { isCofferError } from "../../src/errors.js";

/**
 * The CofferError code `run` throws; `NOT_A_COFFER_ERROR` for any other exception (so it never
 * equals an expected code), undefined when it does not throw.
 */
export function errorCodeOf(run: () => unknown): string | undefined {
  try {
    run();
  } catch (error) {
    return isCofferError(error) ? error.code : "NOT_A_COFFER_ERROR";
  }
  return undefined;
}
