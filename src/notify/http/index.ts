/** HTTP/S delivery: SNS's three POST messages and one guarded delivery attempt. */
export {
  formatSnsBody,
  type HttpDelivery,
  type MessageAttributeValue,
  type NotificationInput,
  notification,
  SNS_CONTENT_TYPE,
  SNS_USER_AGENT,
  type SnsHttpMessage,
  type SubscriptionConfirmationInput,
  snsTimestamp,
  subscribeUrl,
  subscriptionConfirmation,
  subscriptionConfirmationText,
  type UnsubscribeConfirmationInput,
  unsubscribeConfirmation,
  unsubscribeConfirmationText,
  unsubscribeUrl,
} from "./deliveries.js";
export {
  type DeliveryFailure,
  type DeliveryResult,
  isRetryableStatus,
  type PostOptions,
  postDelivery,
  redactUrl,
} from "./post.js";
