/**
 * The four wire protocols trailwatch's endpoint speaks, and which of them each service uses (aws-wire.md §1.1):
 * Logs awsJson1_1; CloudWatch awsJson1_0 (query-compatible), awsQuery and rpc-v2-cbor; SNS awsQuery.
 */
export type Protocol = "awsJson1_1" | "awsJson1_0" | "rpcv2Cbor" | "awsQuery";

export type ServiceName = "logs" | "cloudwatch" | "sns";

export const JSON_CONTENT_TYPE: Record<"awsJson1_1" | "awsJson1_0", string> = {
  awsJson1_1: "application/x-amz-json-1.1",
  awsJson1_0: "application/x-amz-json-1.0",
};

/** `x-amz-target` prefixes of the JSON services. */
export const TARGET_PREFIX = {
  logs: "Logs_20140328",
  cloudwatch: "GraniteServiceVersion20100801",
} as const;

/** awsQuery `Version` of each query service. */
export const QUERY_VERSION: Record<string, ServiceName> = {
  "2010-08-01": "cloudwatch",
  "2010-03-31": "sns",
};

/** SigV4 signing names. */
export const SIGNING_NAME: Record<ServiceName, string> = {
  logs: "logs",
  cloudwatch: "monitoring",
  sns: "sns",
};

export const CBOR_PATH_PREFIX = `/service/${TARGET_PREFIX.cloudwatch}/operation/`;
