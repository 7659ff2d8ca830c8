/**
 * What the fake AWS account holds: access keys (static and role-issued), KMS keys with aliases,
 * per-key principals and enabled flags, and IAM roles.
 */
import { randomBytes, randomUUID } from "node:crypto";

export interface FakeAccessKey {
  accessKeyId: string;
  secretAccessKey: string;
  /** Set for credentials issued by AssumeRole; requests must carry it. */
  sessionToken?: string;
  /** The role these credentials act as (role-issued keys only). */
  roleArn?: string;
}

export interface FakeKmsKey {
  id: string;
  arn: string;
  region: string;
  aliasArn: string | undefined;
  enabled: boolean;
  /** Access key ids or role ARNs allowed to use the key; undefined means every known caller. */
  allow: string[] | undefined;
  secret: Buffer;
}

export interface FakeRole {
  arn: string;
  /** Access key ids allowed to assume the role; undefined means every known caller. */
  allow: string[] | undefined;
}

export interface CreateKeyOptions {
  alias?: string;
  region?: string;
  enabled?: boolean;
  allow?: string[];
}

export class FakeAwsAccount {
  readonly account = "111122223333";
  readonly accessKeys = new Map<string, FakeAccessKey>();
  readonly keys = new Map<string, FakeKmsKey>();
  readonly roles = new Map<string, FakeRole>();

  constructor(readonly defaultRegion: string) {}

  addAccessKey(prefix = "AKIA"): FakeAccessKey {
    const key: FakeAccessKey = {
      accessKeyId: `${prefix}${randomBytes(8).toString("hex").toUpperCase()}`,
      secretAccessKey: randomBytes(20).toString("base64"),
    };
    this.accessKeys.set(key.accessKeyId, key);
    return key;
  }

  createKey(options: CreateKeyOptions = {}): FakeKmsKey {
    const id = randomUUID();
    const region = options.region ?? this.defaultRegion;
    const key: FakeKmsKey = {
      id,
      arn: `arn:aws:kms:${region}:${this.account}:key/${id}`,
      region,
      aliasArn: options.alias === undefined ? undefined : `arn:aws:kms:${region}:${this.account}:alias/${options.alias}`,
      enabled: options.enabled ?? true,
      allow: options.allow,
      secret: randomBytes(32),
    };
    this.keys.set(id, key);
    return key;
  }

  createRole(name: string, allow?: string[]): FakeRole {
    const role: FakeRole = { arn: `arn:aws:iam::${this.account}:role/${name}`, allow };
    this.roles.set(role.arn, role);
    return role;
  }

  /** Resolves a key id, key ARN, `alias/<name>` or alias ARN as seen from `region`. */
  findKey(keyId: string, region: string): FakeKmsKey | undefined {
    for (const key of this.keys.values()) {
      if (key.region !== region) continue;
      const aliasName = key.aliasArn?.slice(key.aliasArn.indexOf(":alias/") + 1);
      if (keyId === key.id || keyId === key.arn || keyId === key.aliasArn || (aliasName !== undefined && keyId === aliasName)) {
        return key;
      }
    }
    return undefined;
  }

  /** Whether the caller may use a key or role with this allow list. */
  allows(allow: string[] | undefined, caller: FakeAccessKey): boolean {
    if (allow === undefined) return true;
    return allow.includes(caller.accessKeyId) || (caller.roleArn !== undefined && allow.includes(caller.roleArn));
  }
}
