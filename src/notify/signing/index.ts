/** SNS message signing: the signing identity (key + self-signed certificate) and SNS signatures v1/v2. */
export {
  type BuiltCertificate,
  type CertificateOptions,
  createSelfSignedCertificate,
  toPem,
} from "./certificate.js";
export {
  certificateIdOf,
  createSigningIdentity,
  loadOrCreateSigningIdentity,
  newSigningCertificate,
  SIGNING_CERT_FILE,
  SIGNING_COMMON_NAME,
  SIGNING_KEY_FILE,
  type SigningIdentity,
  signingCertPath,
  signingCertUrl,
} from "./identity.js";
export {
  type SignableMessage,
  type SignatureVersion,
  type SignedFields,
  type SnsMessageType,
  sign,
  stringToSign,
  verify,
} from "./sign.js";
