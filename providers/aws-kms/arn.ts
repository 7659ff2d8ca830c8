/**
 * KMS key ARNs (spec §6.3): the region a key lives in comes from its ARN, so every call goes to
 * the key's own region whatever AWS_REGION says (as sops does).
 */
import { CofferError } from "../../src/errors.js";

export interface KmsKeyArn {
  /** `aws`, `aws-cn`, `aws-us-gov`, ... */
  partition: string;
  region: string;
  account: string;
  /** `key` or `alias`. */
  resourceType: "key" | "alias";
  /** The key id or alias name (after `key/` or `alias/`). */
  resource: string;
}

const KMS_ARN = /^arn:(aws(?:-[a-z0-9-]+)?):kms:([a-z0-9-]+):(\d+):(key|alias)\/(.+)$/;

/** Parses `arn:aws[-partition]:kms:<region>:<account>:key/<id>|alias/<name>`; throws KEY_INVALID. */
export function parseKmsKeyArn(arn: string): KmsKeyArn {
  const match = KMS_ARN.exec(arn.trim());
  if (match === null) {
    throw new CofferError("KEY_INVALID", `not an aws kms key arn: ${JSON.stringify(arn.slice(0, 200))}`, {
      hint: "use arn:aws:kms:<region>:<account>:key/<id> or arn:aws:kms:<region>:<account>:alias/<name>",
    });
  }
  const [, partition, region, account, resourceType, resource] = match;
  return {
    partition: partition ?? "aws",
    region: region ?? "",
    account: account ?? "",
    resourceType: resourceType === "alias" ? "alias" : "key",
    resource: resource ?? "",
  };
}
