import { SendMessageCommand, type MessageAttributeValue, type SQSClient } from '@aws-sdk/client-sqs';

/** What an AWS service answers an integration request: its HTTP status and body. */
export interface ServiceAnswer {
  readonly status: number;
  readonly body: string;
}

const error = (status: number, code: string, message: string, type: 'Sender' | 'Receiver' = 'Sender'): ServiceAnswer => ({
  status,
  body: JSON.stringify({ Error: { Code: code, Message: message, Type: type } }),
});

/**
 * SQS's query protocol, as API Gateway's SQS integration speaks it: the form the integration
 * request template rendered (`Action=SendMessage&MessageBody=…&MessageAttribute.N.…`) in, and
 * SQS's answer out, JSON because the integration asks for it (Accept: application/json):
 * `{"SendMessageResponse": {"SendMessageResult": {"MessageId", "MD5OfMessageBody",
 * "MD5OfMessageAttributes"}}}`, or `{"Error": {"Code", "Message"}}` with SQS's status. The local
 * SQS speaks only the JSON protocol, so the form is read here and the message sent through it.
 */
export async function sqsQueryAction(sqs: SQSClient, queueUrl: string, form: string, requestId: string): Promise<ServiceAnswer> {
  const params = new URLSearchParams(form);
  const action = params.get('Action');
  if (action !== 'SendMessage') return error(400, 'InvalidAction', `The action ${action ?? '(none)'} is not valid for this endpoint.`);
  const body = params.get('MessageBody');
  if (body === null || body === '') return error(400, 'MissingParameter', 'The request must contain the parameter MessageBody.');
  const attributes: Record<string, MessageAttributeValue> = {};
  for (let n = 1; params.has(`MessageAttribute.${n}.Name`); n++) {
    const name = params.get(`MessageAttribute.${n}.Name`) as string;
    const dataType = params.get(`MessageAttribute.${n}.Value.DataType`);
    const value = params.get(`MessageAttribute.${n}.Value.StringValue`);
    if (!dataType || value === null) return error(400, 'InvalidParameterValue', `Message attribute ${name} has no DataType or StringValue.`);
    attributes[name] = { DataType: dataType, StringValue: value };
  }
  try {
    const sent = await sqs.send(
      new SendMessageCommand({ QueueUrl: queueUrl, MessageBody: body, ...(Object.keys(attributes).length ? { MessageAttributes: attributes } : {}) }),
    );
    return {
      status: 200,
      body: JSON.stringify({
        SendMessageResponse: {
          ResponseMetadata: { RequestId: requestId },
          SendMessageResult: {
            MD5OfMessageAttributes: sent.MD5OfMessageAttributes ?? null,
            MD5OfMessageBody: sent.MD5OfMessageBody,
            MD5OfMessageSystemAttributes: null,
            MessageId: sent.MessageId,
            SequenceNumber: null,
          },
        },
      }),
    };
  } catch (caught) {
    const e = caught as Error & { $metadata?: { httpStatusCode?: number } };
    const status = e.$metadata?.httpStatusCode;
    // No answer at all (the queue's endpoint is down): API Gateway reports an integration failure.
    if (status === undefined) return error(500, 'InternalFailure', e.message, 'Receiver');
    return error(status, e.name, e.message, status >= 500 ? 'Receiver' : 'Sender');
  }
}
