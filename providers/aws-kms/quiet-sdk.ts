/**
 * The AWS SDK decides at client construction whether to print its "Node 20 support ends"
 * warning, reading `AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED` from process.env (there is no
 * client option for it). Users should never see it, and the library must not change the
 * environment for good, so the variable is set only while a client is built and restored after.
 * The SDK remembers that it has checked, so later clients do not look again.
 */
const WARNING_SWITCH = "AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED";

/** Runs a synchronous SDK client constructor with the Node-version warning switched off. */
export function buildWithoutNodeWarning<T>(build: () => T): T {
  const before = process.env[WARNING_SWITCH];
  process.env[WARNING_SWITCH] = "true";
  try {
    return build();
  } finally {
    if (before === undefined) delete process.env[WARNING_SWITCH];
    else process.env[WARNING_SWITCH] = before;
  }
}

/** A logger that drops everything: libraries never print (design.md). */
export const silentLogger = {
  trace: (): void => undefined,
  debug: (): void => undefined,
  info: (): void => undefined,
  warn: (): void => undefined,
  error: (): void => undefined,
};

/**
 * The options every AWS client of ours shares: one attempt (callers retry with their own
 * policy), no logging, and `timeoutMs` for both connecting and the whole request.
 */
export function quietClientOptions(region: string, timeoutMs: number) {
  return {
    region,
    maxAttempts: 1,
    logger: silentLogger,
    requestHandler: {
      connectionTimeout: timeoutMs,
      requestTimeout: timeoutMs,
      throwOnRequestTimeout: true,
      logger: silentLogger,
    },
  };
}
