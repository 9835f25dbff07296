/**
 * An input: one thing that holds CloudTrail records and is read, checkpointed and reported as a unit —
 * a file, an S3 object, standard input, a request body. Sources (file-source, s3-source) list them.
 */
import type { InputVersion } from "./checkpoint.js";
import type { CloudTrailKey } from "./cloudtrail-key.js";

export interface Input extends InputVersion {
  /** The checkpoint key (`file:<absolute path>`, `s3://bucket/key`); undefined = not checkpointed (stdin, HTTP). */
  source?: string;
  /** How reports name it. */
  name: string;
  /** What its path or key says (org, account, region, day). */
  key: CloudTrailKey;
  /** Its raw bytes (gzipped or not) from a byte offset (only appendable inputs are opened past 0). */
  open(fromByte: number): AsyncIterable<Buffer>;
}
