/**
 * The slice of an AWS service model the protocol layer needs: for each supported operation its input and
 * output shapes, and for each shape its type, members (in the model's XML order), wire names and the
 * constraints AWS checks before an operation runs. The models in this folder are generated from botocore's
 * `service-2.json` (Apache-2.0) by `test/api/tools/generate-models.ts`; do not edit them by hand.
 */

export type ScalarType =
  | "string"
  | "integer"
  | "long"
  | "double"
  | "float"
  | "boolean"
  | "timestamp"
  | "blob";

export interface MemberRef {
  /** The shape's name in `shapes`. */
  shape: string;
  /** The member's wire name where it differs (awsQuery / XML `locationName`). */
  locationName?: string;
}

export interface StructureShape {
  type: "structure";
  /** Members in the model's XML order: [name, shape, locationName?]. */
  members: [string, string, string?][];
  required?: string[];
}

export interface ListShape {
  type: "list";
  member: MemberRef;
  flattened?: boolean;
  min?: number;
  max?: number;
}

export interface MapShape {
  type: "map";
  key: MemberRef;
  value: MemberRef;
  flattened?: boolean;
  min?: number;
  max?: number;
}

export interface ScalarShape {
  type: ScalarType;
  min?: number;
  max?: number;
  pattern?: string;
  enum?: string[];
}

export type Shape = StructureShape | ListShape | MapShape | ScalarShape;

export interface OperationModel {
  input?: string;
  output?: string;
  /** awsQuery wraps the output in `<Op>Result`, named here. */
  resultWrapper?: string;
}

export interface ErrorModel {
  /** The awsQuery `<Code>` (and `x-amzn-query-error` code); the shape name when the model gives none. */
  code: string;
  status: number;
  sender: boolean;
}

export interface ServiceModel {
  /** The SigV4 signing name. */
  signingName: string;
  apiVersion: string;
  targetPrefix?: string;
  xmlNamespace?: string;
  operations: Record<string, OperationModel>;
  shapes: Record<string, Shape>;
  /** Error shapes by shape name. */
  errors: Record<string, ErrorModel>;
}
