import aslValidator from 'asl-validator';

/** asl-validator's findings on a States Language definition (its JSON Schema, transitions, paths, ARNs), as text. */
export function aslProblems(definition: unknown): string[] {
  // A copy: the validator writes each state's default QueryLanguage into what it is given.
  const { errors } = aslValidator(JSON.parse(JSON.stringify(definition)), { checkPaths: true, checkArn: true });
  return errors.map((e) => `${e['Error code']}: ${e.Message}`);
}
