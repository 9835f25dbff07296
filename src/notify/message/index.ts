/** Notification content: the SNS alarm message and Subject, the e-mails, the Slack payload. Pure functions. */
export {
  type AlarmMessage,
  type AlarmMessageOptions,
  alarmMessage,
  alarmMessageJson,
  alarmMessageText,
  alarmSubject,
  type CompositeAlarmMessage,
  MAX_SUBJECT,
  type MetricAlarmMessage,
  type NotificationEvents,
  TRAILWATCH_EVENTS_FIELD,
} from "./alarm-message.js";
export {
  type AlarmEmailOptions,
  alarmEmail,
  type Email,
  emailJsonBody,
  jsonEnvelopeEmail,
  publishedMessageEmail,
  SUBSCRIPTION_CONFIRMATION_SUBJECT,
  subscriptionConfirmationEmail,
} from "./email.js";
export { regionLongName } from "./regions.js";
export { type SlackOptions, type SlackPayload, slackAlarmPayload } from "./slack.js";
