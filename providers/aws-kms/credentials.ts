/**
 * Which AWS identity a call uses. The precedence follows the SDK's default chain: a profile
 * (the entry's `aws_profile`, else AWS_PROFILE) beats static keys; static keys
 * (AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY / AWS_SESSION_TOKEN) come next; otherwise the SDK
 * default chain (shared files, web identity, container and instance metadata).
 */

/** Static or temporary AWS credentials. */
export interface AwsCredentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
  expiration?: Date;
}

export type AwsCredentialsProvider = () => Promise<AwsCredentials>;

/** How the SDK client finds credentials for one call. */
export type CredentialSource =
  | { kind: "static"; credentials: AwsCredentials }
  | { kind: "profile"; profile: string }
  | { kind: "default-chain" };

export interface CredentialSettings {
  credentials?: AwsCredentials | undefined;
  profile?: string | undefined;
}

/** Picks the source for an entry whose `aws_profile` is `entryProfile` (undefined when ""). */
export function chooseCredentialSource(settings: CredentialSettings, entryProfile: string | undefined): CredentialSource {
  const profile = entryProfile ?? settings.profile;
  if (profile !== undefined && profile !== "") return { kind: "profile", profile };
  if (settings.credentials !== undefined) return { kind: "static", credentials: settings.credentials };
  return { kind: "default-chain" };
}

/** Reads static credentials and the profile from an environment map (never process.env). */
export function credentialSettingsFromEnv(env: Record<string, string | undefined>): CredentialSettings {
  const accessKeyId = nonEmpty(env.AWS_ACCESS_KEY_ID);
  const secretAccessKey = nonEmpty(env.AWS_SECRET_ACCESS_KEY);
  const sessionToken = nonEmpty(env.AWS_SESSION_TOKEN);
  const profile = nonEmpty(env.AWS_PROFILE);
  return {
    ...(accessKeyId !== undefined && secretAccessKey !== undefined
      ? { credentials: { accessKeyId, secretAccessKey, ...(sessionToken === undefined ? {} : { sessionToken }) } }
      : {}),
    ...(profile === undefined ? {} : { profile }),
  };
}

function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value.trim() === "" ? undefined : value.trim();
}
