/**
 * `role` entries (spec §6.3): assume the role through STS AssumeRole first, with the session name
 * sops uses, and use the temporary credentials for KMS. The STS client is the one the AWS SDK's own
 * credential chain uses (`@aws-sdk/nested-clients/sts`, installed with `@aws-sdk/client-kms`), so
 * no extra dependency is needed; it is imported only when an entry has a role.
 */
import { CofferError } from "../../src/errors.js";
import type { AwsCredentials, AwsCredentialsProvider } from "./credentials.js";
import { buildWithoutNodeWarning, quietClientOptions } from "./quiet-sdk.js";

/** sops: `[^a-zA-Z0-9=,.@-_]+` removed (Go and JS both read `@-_` as the range 0x40-0x5F). */
const SESSION_NAME_DROP = /[^a-zA-Z0-9=,.@-_]+/g;
const SESSION_NAME_LIMIT = 64;
/** Refresh assumed credentials this long before they expire. */
const REFRESH_MARGIN_MS = 5 * 60_000;

/** The STS session name sops uses: `sops@<hostname, sanitised>`, at most 64 characters. */
export function stsSessionName(hostname: string): string {
  return `sops@${hostname.replace(SESSION_NAME_DROP, "")}`.slice(0, SESSION_NAME_LIMIT);
}

export interface AssumeRoleOptions {
  role: string;
  region: string;
  sessionName: string;
  /** Credentials to call STS with; undefined for the SDK default chain (with `profile`). */
  baseCredentials: AwsCredentials | undefined;
  profile: string | undefined;
  endpoint: string | undefined;
  timeoutMs: number;
}

/** A memoised credential provider that assumes `role` and refreshes before expiry. */
export function assumedRoleCredentials(options: AssumeRoleOptions): AwsCredentialsProvider {
  let pending: Promise<AwsCredentials> | undefined;
  let current: AwsCredentials | undefined;
  return async () => {
    const expiresAt = current?.expiration?.getTime();
    if (current !== undefined && (expiresAt === undefined || expiresAt - Date.now() > REFRESH_MARGIN_MS)) return current;
    pending ??= assumeRole(options).then(
      (credentials) => {
        current = credentials;
        pending = undefined;
        return credentials;
      },
      (error: unknown) => {
        pending = undefined;
        throw error;
      },
    );
    return pending;
  };
}

async function assumeRole(options: AssumeRoleOptions): Promise<AwsCredentials> {
  const { STSClient, AssumeRoleCommand } = await import("@aws-sdk/nested-clients/sts");
  const client = buildWithoutNodeWarning(
    () =>
      new STSClient({
        ...quietClientOptions(options.region, options.timeoutMs),
        ...(options.baseCredentials === undefined ? {} : { credentials: options.baseCredentials }),
        ...(options.profile === undefined ? {} : { profile: options.profile }),
        ...(options.endpoint === undefined ? {} : { endpoint: options.endpoint }),
      }),
  );
  try {
    const output = await client.send(new AssumeRoleCommand({ RoleArn: options.role, RoleSessionName: options.sessionName }));
    const credentials = output.Credentials;
    if (credentials?.AccessKeyId === undefined || credentials.SecretAccessKey === undefined) {
      throw new CofferError("PROVIDER_FAILED", `sts returned no credentials for role ${options.role}`);
    }
    return {
      accessKeyId: credentials.AccessKeyId,
      secretAccessKey: credentials.SecretAccessKey,
      ...(credentials.SessionToken === undefined ? {} : { sessionToken: credentials.SessionToken }),
      ...(credentials.Expiration === undefined ? {} : { expiration: credentials.Expiration }),
    };
  } finally {
    client.destroy();
  }
}
