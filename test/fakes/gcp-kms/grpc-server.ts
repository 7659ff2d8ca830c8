/**
 * The gRPC face of the GCP KMS fake: a grpc-js server on 127.0.0.1 (plaintext) serving
 * `google.cloud.kms.v1.KeyManagementService` from the client package's own protos.json, so the
 * real `KeyManagementServiceClient` talks to it unchanged. Encrypt and Decrypt behave; every
 * other method answers UNIMPLEMENTED (grpc-js's default handler).
 */
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import * as grpc from "@grpc/grpc-js";
import * as protoLoader from "@grpc/proto-loader";
import type { KmsFakeCore, KmsMethod } from "./core.js";

const require = createRequire(import.meta.url);

function serviceDefinition(): grpc.ServiceDefinition {
  const path = require.resolve("@google-cloud/kms/build/protos/protos.json");
  const definition = protoLoader.fromJSON(JSON.parse(readFileSync(path, "utf8")) as object, { defaults: false });
  const loaded = grpc.loadPackageDefinition(definition) as unknown as {
    google: { cloud: { kms: { v1: { KeyManagementService: grpc.ServiceClientConstructor } } } };
  };
  return loaded.google.cloud.kms.v1.KeyManagementService.service;
}

interface WireRequest {
  name?: string;
  plaintext?: Buffer;
  ciphertext?: Buffer;
  additionalAuthenticatedData?: Buffer;
}

function handler(core: KmsFakeCore, method: KmsMethod): grpc.handleUnaryCall<WireRequest, object> {
  return (call, callback) => {
    const header = call.metadata.get("authorization")[0];
    const request = call.request;
    const result = core.handle({
      method,
      transport: "grpc",
      name: request.name ?? "",
      authorization: header === undefined ? undefined : String(header),
      ...(request.plaintext === undefined ? {} : { plaintext: request.plaintext }),
      ...(request.ciphertext === undefined ? {} : { ciphertext: request.ciphertext }),
      ...(request.additionalAuthenticatedData === undefined ? {} : { aad: request.additionalAuthenticatedData }),
    });
    const answer = (): void => {
      if (result.error !== undefined) {
        callback({ code: result.error.status.grpcCode, details: result.error.status.message, metadata: new grpc.Metadata() });
      } else if (result.response !== undefined) {
        const { name, plaintext, ciphertext } = result.response;
        callback(null, method === "encrypt" ? { name, ciphertext: Buffer.from(ciphertext ?? []) } : { plaintext: Buffer.from(plaintext ?? []) });
      }
    };
    const directive = result.directive;
    if (directive !== undefined && "reset" in directive) {
      // grpc-js has no socket-level reset for one call; the closest real shape is UNAVAILABLE.
      callback({ code: grpc.status.UNAVAILABLE, details: "connection reset", metadata: new grpc.Metadata() });
    } else if (directive !== undefined) {
      const timer = setTimeout(answer, directive.delayMs);
      call.on("cancelled", () => {
        clearTimeout(timer);
        core.abandoned++;
      });
    } else answer();
  };
}

export interface GrpcFakeServer {
  port: number;
  close(): Promise<void>;
}

export async function startGrpcKmsServer(core: KmsFakeCore): Promise<GrpcFakeServer> {
  const server = new grpc.Server();
  server.addService(serviceDefinition(), { Encrypt: handler(core, "encrypt"), Decrypt: handler(core, "decrypt") });
  const port = await new Promise<number>((resolve, reject) => {
    server.bindAsync("127.0.0.1:0", grpc.ServerCredentials.createInsecure(), (error, bound) => (error ? reject(error) : resolve(bound)));
  });
  return {
    port,
    close: () =>
      new Promise<void>((resolve) => {
        server.forceShutdown();
        resolve();
      }),
  };
}
