/** asl-validator (npm) ships no types: what infra's tests use of it. */
declare module 'asl-validator' {
  interface AslValidationError {
    readonly 'Error code': string;
    readonly Message: string;
  }
  interface AslValidationResult {
    readonly isValid: boolean;
    readonly errors: readonly AslValidationError[];
  }
  /** Validates an Amazon States Language definition; it writes each state's default QueryLanguage into `definition`. */
  function aslValidator(definition: unknown, options?: { readonly checkPaths?: boolean; readonly checkArn?: boolean }): AslValidationResult;
  export = aslValidator;
}
