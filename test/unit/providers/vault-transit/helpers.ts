import { isCofferError } from "../../../../src/errors.js";

/** The CofferError code a promise rejects with; "RESOLVED" or "NOT_A_COFFER_ERROR" otherwise. */
export async function rejectionCode(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
    return "RESOLVED";
  } catch (error) {
    return isCofferError(error) ? error.code : "NOT_A_COFFER_ERROR";
  }
}

/** The rejection itself (for hint and message checks); throws if the promise resolves. */
export async function rejectionOf(promise: Promise<unknown>): Promise<Error & { code?: string; hint?: string }> {
  try {
    await promise;
  } catch (error) {
    return error as Error & { code?: string; hint?: string };
  }
  throw new Error("expected a rejection");
}
