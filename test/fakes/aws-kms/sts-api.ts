/**
 * STS AssumeRole over the AWS query protocol (form body in, XML out), enough for the SDK's
 * STS client: it checks the caller, the role and who may assume it, and issues temporary
 * credentials the KMS side then accepts as the role.
 */
import { randomBytes } from "node:crypto";
import type { FakeAccessKey, FakeAwsAccount } from "./state.js";

export interface StsResult {
  status: number;
  xml: string;
  roleArn?: string;
  roleSessionName?: string;
}

const NS = "https://sts.amazonaws.com/doc/2011-06-15/";

function escapeXml(value: string): string {
  return value.replace(/[<>&'"]/g, (c) => `&#${c.charCodeAt(0)};`);
}

export function stsError(status: number, code: string, message: string): StsResult {
  return {
    status,
    xml:
      `<ErrorResponse xmlns="${NS}"><Error><Type>Sender</Type><Code>${code}</Code>` +
      `<Message>${escapeXml(message)}</Message></Error><RequestId>fake</RequestId></ErrorResponse>`,
  };
}

export function handleSts(account: FakeAwsAccount, form: URLSearchParams, caller: FakeAccessKey): StsResult {
  if (form.get("Action") !== "AssumeRole") return stsError(400, "InvalidAction", "only AssumeRole is supported");
  const roleArn = form.get("RoleArn") ?? "";
  const sessionName = form.get("RoleSessionName") ?? "";
  if (!/^[\w+=,.@-]{2,64}$/.test(sessionName)) return stsError(400, "ValidationError", "invalid RoleSessionName");
  const role = account.roles.get(roleArn);
  if (role === undefined || !account.allows(role.allow, caller)) {
    return {
      ...stsError(403, "AccessDenied", `User: ${caller.accessKeyId} is not authorized to perform: sts:AssumeRole on resource: ${roleArn}`),
      roleArn,
      roleSessionName: sessionName,
    };
  }
  const issued = account.addAccessKey("ASIA");
  issued.sessionToken = randomBytes(24).toString("base64");
  issued.roleArn = role.arn;
  const expiration = new Date(Date.now() + 3600_000).toISOString().replace(/\.\d{3}Z$/, "Z");
  const name = role.arn.slice(role.arn.lastIndexOf("/") + 1);
  return {
    status: 200,
    roleArn,
    roleSessionName: sessionName,
    xml:
      `<AssumeRoleResponse xmlns="${NS}"><AssumeRoleResult><Credentials>` +
      `<AccessKeyId>${issued.accessKeyId}</AccessKeyId><SecretAccessKey>${escapeXml(issued.secretAccessKey)}</SecretAccessKey>` +
      `<SessionToken>${escapeXml(issued.sessionToken)}</SessionToken><Expiration>${expiration}</Expiration></Credentials>` +
      `<AssumedRoleUser><AssumedRoleId>AROAFAKE:${escapeXml(sessionName)}</AssumedRoleId>` +
      `<Arn>arn:aws:sts::${account.account}:assumed-role/${escapeXml(name)}/${escapeXml(sessionName)}</Arn></AssumedRoleUser>` +
      `</AssumeRoleResult><ResponseMetadata><RequestId>fake</RequestId></ResponseMetadata></AssumeRoleResponse>`,
  };
}
