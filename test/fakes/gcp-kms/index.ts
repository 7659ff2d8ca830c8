/**
 * A local GCP KMS that the real `@google-cloud/kms` client talks to over gRPC and over REST.
 *
 *   const fake = await startGcpKmsFake({ keys: [KEY] });
 *   fake.inject({ kind: "unavailable", times: 2 });
 *   ... fake.calls ...
 *   await fake.close();
 */
import { KmsFakeCore, type KmsCall, type KmsFault } from "./core.js";
import { startGrpcKmsServer } from "./grpc-server.js";
import { startRestKmsServer } from "./rest-server.js";

export type { KmsCall, KmsFault } from "./core.js";

export interface GcpKmsFake {
  /** Port of the plaintext gRPC server on 127.0.0.1. */
  grpcPort: number;
  /** Base URL (`http://127.0.0.1:PORT`) and port of the REST server. */
  restUrl: string;
  restPort: number;
  /** The bearer token both servers accept. */
  token: string;
  calls: KmsCall[];
  /** How many delayed calls the client abandoned (cancelled or disconnected) before the answer. */
  abandoned(): number;
  addKey(name: string): void;
  /** The key exists but the caller has no permission on it. */
  deny(name: string): void;
  inject(fault: KmsFault): void;
  /** Also accept self-signed JWTs from this service account. */
  addServiceAccount(email: string, publicKeyPem: string): void;
  /** Drops injected faults not yet consumed (call between tests). */
  clearFaults(): void;
  close(): Promise<void>;
}

export const FAKE_KEY = "projects/coffer-test/locations/global/keyRings/ring/cryptoKeys/key";

export async function startGcpKmsFake(options: { keys?: string[]; token?: string } = {}): Promise<GcpKmsFake> {
  const core = new KmsFakeCore(options.token ?? "fake-gcp-token", options.keys ?? [FAKE_KEY]);
  const grpcServer = await startGrpcKmsServer(core);
  const restServer = await startRestKmsServer(core);
  return {
    grpcPort: grpcServer.port,
    restUrl: restServer.url,
    restPort: restServer.port,
    token: core.token,
    calls: core.calls,
    abandoned: () => core.abandoned,
    addKey: (name) => core.addKey(name),
    deny: (name) => core.deny(name),
    inject: (fault) => core.inject(fault),
    clearFaults: () => core.clearFaults(),
    addServiceAccount: (email, pem) => core.addServiceAccount(email, pem),
    close: async () => {
      await Promise.all([grpcServer.close(), restServer.close()]);
    },
  };
}

/** Provider options that point the real client at this fake over one transport. */
export function gcpKmsOptionsForFake(fake: GcpKmsFake, transport: "grpc" | "rest"): {
  transport: "grpc" | "rest";
  endpoint: string;
  accessToken: string;
} {
  const port = transport === "grpc" ? fake.grpcPort : fake.restPort;
  return { transport, endpoint: `http://127.0.0.1:${port}`, accessToken: fake.token };
}
