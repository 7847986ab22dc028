/** What invoking a function gives back: its result, or the error Lambda reports for it. */
export type InvokeResult =
  | { readonly ok: true; readonly payload: unknown }
  | {
      readonly ok: false;
      readonly errorType: string;
      readonly errorMessage: string;
      readonly trace?: readonly string[];
      /**
       * The Lambda service refused the invocation (the function did not run): an Invoke API error
       * such as ResourceNotFoundException or ServiceException, not the function's own error.
       * Step Functions reports these as `Lambda.<errorType>`.
       */
      readonly invokeError?: true;
    };

export type Invoke = (event: unknown) => Promise<InvokeResult>;

/** An Invoke API error of the Lambda service (the function did not run). */
export function lambdaServiceError(errorType: string, errorMessage: string): InvokeResult {
  return { ok: false, errorType, errorMessage, invokeError: true };
}

/** Invokes functions by name, as the Lambda Invoke API does: an unknown name is ResourceNotFoundException. */
export function functionInvoker(functions: ReadonlyMap<string, { invoke(event: unknown): Promise<InvokeResult> }>, region: string, accountId: string) {
  return (name: string, event: unknown): Promise<InvokeResult> => {
    const fn = functions.get(name);
    if (!fn) return Promise.resolve(lambdaServiceError('ResourceNotFoundException', `Function not found: arn:aws:lambda:${region}:${accountId}:function:${name}`));
    return fn.invoke(event);
  };
}
