/** What invoking a function gives back: its result, or the error Lambda reports for it. */
export type InvokeResult =
  | { readonly ok: true; readonly payload: unknown }
  | { readonly ok: false; readonly errorType: string; readonly errorMessage: string; readonly trace?: readonly string[] };

export type Invoke = (event: unknown) => Promise<InvokeResult>;
